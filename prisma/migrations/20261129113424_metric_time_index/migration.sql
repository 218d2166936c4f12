-- CreateIndex
CREATE INDEX "MetricPoint_releaseId_ts_idx" ON "MetricPoint"("releaseId", "ts");

-- CreateIndex
CREATE INDEX "MetricHistogram_releaseId_ts_idx" ON "MetricHistogram"("releaseId", "ts");
