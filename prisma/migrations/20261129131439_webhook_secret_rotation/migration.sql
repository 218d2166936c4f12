-- AlterTable
ALTER TABLE "Webhook" ADD COLUMN     "previousSecret" TEXT,
ADD COLUMN     "secretRotatedAt" TIMESTAMPTZ(3);
