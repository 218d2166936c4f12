-- AlterTable
ALTER TABLE "Release" ADD COLUMN     "contacts" JSONB,
ADD COLUMN     "previousAttemptId" UUID;

-- CreateTable
CREATE TABLE "Incident" (
    "id" UUID NOT NULL,
    "releaseId" UUID NOT NULL,
    "kind" TEXT NOT NULL,
    "severity" TEXT,
    "status" TEXT NOT NULL DEFAULT 'open',
    "title" TEXT NOT NULL,
    "detail" TEXT NOT NULL DEFAULT '',
    "publicNote" TEXT,
    "link" TEXT,
    "handler" TEXT,
    "source" TEXT NOT NULL,
    "externalKey" TEXT,
    "reportedById" UUID,
    "reportedByName" TEXT NOT NULL,
    "action" TEXT NOT NULL,
    "startedAt" TIMESTAMPTZ(3) NOT NULL,
    "mitigatedAt" TIMESTAMPTZ(3),
    "resolvedAt" TIMESTAMPTZ(3),
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "Incident_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Page" (
    "id" UUID NOT NULL,
    "releaseId" UUID NOT NULL,
    "incidentId" UUID,
    "reason" TEXT NOT NULL,
    "level" INTEGER NOT NULL,
    "contactRole" TEXT NOT NULL,
    "contactName" TEXT NOT NULL,
    "pagedAt" TIMESTAMPTZ(3) NOT NULL,
    "acknowledgedAt" TIMESTAMPTZ(3),
    "acknowledgedByName" TEXT,
    "escalatedAt" TIMESTAMPTZ(3),
    "deliveredAt" TIMESTAMPTZ(3),
    "deliveryAttempts" INTEGER NOT NULL DEFAULT 0,
    "deliveryError" TEXT,

    CONSTRAINT "Page_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "SentMessage" (
    "id" UUID NOT NULL,
    "releaseId" UUID NOT NULL,
    "templateKey" TEXT NOT NULL,
    "occasion" TEXT NOT NULL,
    "audience" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "text" TEXT NOT NULL,
    "sentAt" TIMESTAMPTZ(3) NOT NULL,
    "emailedAt" TIMESTAMPTZ(3),
    "emailAttempts" INTEGER NOT NULL DEFAULT 0,
    "emailError" TEXT,

    CONSTRAINT "SentMessage_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Freeze" (
    "id" UUID NOT NULL,
    "reason" TEXT NOT NULL,
    "startedById" UUID,
    "startedByName" TEXT NOT NULL,
    "startedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "endedByName" TEXT,
    "endedAt" TIMESTAMPTZ(3),

    CONSTRAINT "Freeze_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "Incident_releaseId_startedAt_idx" ON "Incident"("releaseId", "startedAt");

-- CreateIndex
CREATE UNIQUE INDEX "Incident_releaseId_externalKey_key" ON "Incident"("releaseId", "externalKey");

-- CreateIndex
CREATE INDEX "Page_releaseId_pagedAt_idx" ON "Page"("releaseId", "pagedAt");

-- CreateIndex
CREATE INDEX "Page_deliveredAt_idx" ON "Page"("deliveredAt");

-- CreateIndex
CREATE INDEX "Page_acknowledgedAt_escalatedAt_idx" ON "Page"("acknowledgedAt", "escalatedAt");

-- CreateIndex
CREATE INDEX "SentMessage_releaseId_sentAt_idx" ON "SentMessage"("releaseId", "sentAt");

-- CreateIndex
CREATE INDEX "SentMessage_emailedAt_idx" ON "SentMessage"("emailedAt");

-- CreateIndex
CREATE UNIQUE INDEX "SentMessage_releaseId_templateKey_occasion_key" ON "SentMessage"("releaseId", "templateKey", "occasion");

-- CreateIndex
CREATE INDEX "Freeze_endedAt_idx" ON "Freeze"("endedAt");

-- AddForeignKey
ALTER TABLE "Release" ADD CONSTRAINT "Release_previousAttemptId_fkey" FOREIGN KEY ("previousAttemptId") REFERENCES "Release"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Incident" ADD CONSTRAINT "Incident_releaseId_fkey" FOREIGN KEY ("releaseId") REFERENCES "Release"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Page" ADD CONSTRAINT "Page_releaseId_fkey" FOREIGN KEY ("releaseId") REFERENCES "Release"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Page" ADD CONSTRAINT "Page_incidentId_fkey" FOREIGN KEY ("incidentId") REFERENCES "Incident"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "SentMessage" ADD CONSTRAINT "SentMessage_releaseId_fkey" FOREIGN KEY ("releaseId") REFERENCES "Release"("id") ON DELETE CASCADE ON UPDATE CASCADE;
