-- DropIndex
DROP INDEX "WebhookDelivery_webhookId_createdAt_idx";

-- AlterTable
ALTER TABLE "Release" ADD COLUMN     "analysis" JSONB,
ADD COLUMN     "analyzedAt" TIMESTAMPTZ(3),
ADD COLUMN     "metricsSource" JSONB;

-- CreateTable
CREATE TABLE "MetricHistogram" (
    "releaseId" UUID NOT NULL,
    "cohort" "Cohort" NOT NULL,
    "metric" TEXT NOT NULL,
    "ts" TIMESTAMPTZ(3) NOT NULL,
    "bounds" DOUBLE PRECISION[],
    "counts" DOUBLE PRECISION[],

    CONSTRAINT "MetricHistogram_pkey" PRIMARY KEY ("releaseId","metric","cohort","ts")
);

-- CreateIndex
CREATE INDEX "WebhookDelivery_webhookId_releaseId_createdAt_idx" ON "WebhookDelivery"("webhookId", "releaseId", "createdAt");

-- AddForeignKey
ALTER TABLE "MetricHistogram" ADD CONSTRAINT "MetricHistogram_releaseId_fkey" FOREIGN KEY ("releaseId") REFERENCES "Release"("id") ON DELETE CASCADE ON UPDATE CASCADE;
