// push-metrics: points from a JSON file ({points: [...]} or [...]), an NDJSON file (one point a line)
// or stdin (`-`, or no --file), checked locally with the API's own schema, sent in batches of at most
// 10,000. Points the server already has are stored once, so a failed run can simply be repeated.
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import type { TMetricPointInput } from '@rampart/contracts';
import { MAX_POINTS_PER_REQUEST, ZHistogramPoint, ZMetricPointInput, ZMetricsAccepted, ZScalarPoint } from '@rampart/contracts';
import type { RampartClient } from '../client.js';
import { CliExit, EXIT } from '../exit-codes.js';
import type { TIo } from '../io.js';
import { print, printJson } from '../io.js';

export interface TPushOptions {
  file?: string | undefined;
  batchSize?: number | undefined;
  json?: boolean | undefined;
}

export interface TPushResult {
  points: number;
  batches: number;
  accepted: number;
  stored: number;
}

function checkPoint(raw: unknown, where: string): TMetricPointInput {
  // Checked against the one shape it claims, so the message names the field rather than "invalid input".
  const schema = typeof raw === 'object' && raw !== null && 'buckets' in raw ? ZHistogramPoint : typeof raw === 'object' && raw !== null ? ZScalarPoint : ZMetricPointInput;
  const parsed = schema.safeParse(raw);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  throw new CliExit(EXIT.error, `${where}: ${issue?.path.join('.') || 'point'} ${issue?.message ?? 'is not a metric point'}`);
}

/** Reads every point of a JSON document or of NDJSON lines, naming the line or index of a bad one. */
async function* readPoints(input: Readable, source: string): AsyncGenerator<TMetricPointInput> {
  const lines = createInterface({ input, crlfDelay: Infinity });
  let first: string | null = null;
  let lineNo = 0;
  const buffered: string[] = [];
  let mode: 'unknown' | 'ndjson' | 'document' = 'unknown';
  for await (const line of lines) {
    lineNo += 1;
    const trimmed = line.trim();
    if (mode === 'document') {
      buffered.push(line);
      continue;
    }
    if (trimmed === '') continue;
    if (mode === 'unknown') {
      first = trimmed;
      // One point per line starts with an object that closes on the same line; anything else is one document.
      let lineValue: unknown;
      try {
        lineValue = JSON.parse(trimmed);
      } catch {
        lineValue = undefined;
      }
      if (lineValue !== undefined && typeof lineValue === 'object' && lineValue !== null && !Array.isArray(lineValue) && !('points' in lineValue)) {
        mode = 'ndjson';
      } else {
        mode = 'document';
        buffered.push(line);
        continue;
      }
    }
    let value: unknown;
    try {
      value = JSON.parse(trimmed);
    } catch (error) {
      throw new CliExit(EXIT.error, `${source} line ${lineNo}: not JSON (${(error as Error).message})`);
    }
    yield checkPoint(value, `${source} line ${lineNo}`);
  }
  if (mode !== 'document') return;
  let document: unknown;
  try {
    document = JSON.parse(buffered.join('\n'));
  } catch (error) {
    throw new CliExit(EXIT.error, `${source}: not JSON or NDJSON (${(error as Error).message}; it starts ${JSON.stringify(first?.slice(0, 40))})`);
  }
  const points = Array.isArray(document) ? document : typeof document === 'object' && document !== null && 'points' in document ? (document as { points: unknown }).points : null;
  if (!Array.isArray(points)) throw new CliExit(EXIT.error, `${source}: expected {"points": [...]}, an array of points, or one point per line`);
  for (const [i, raw] of points.entries()) yield checkPoint(raw, `${source} points.${i}`);
}

export async function pushMetricsCommand(client: RampartClient, io: TIo, id: string, options: TPushOptions): Promise<TPushResult> {
  const batchSize = options.batchSize ?? MAX_POINTS_PER_REQUEST;
  if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > MAX_POINTS_PER_REQUEST) {
    throw new CliExit(EXIT.usage, `--batch-size must be a whole number from 1 to ${MAX_POINTS_PER_REQUEST}`);
  }
  let input: Readable;
  let source: string;
  if (options.file === undefined || options.file === '-') {
    input = io.stdin;
    source = 'stdin';
  } else {
    const file = path.resolve(io.cwd, options.file);
    const info = await stat(file).catch(() => null);
    if (!info?.isFile()) throw new CliExit(EXIT.error, `No such file: ${file}`);
    input = createReadStream(file);
    source = options.file;
  }

  const result: TPushResult = { points: 0, batches: 0, accepted: 0, stored: 0 };
  const send = async (batch: TMetricPointInput[]) => {
    const answer = await client.post(`/api/releases/${encodeURIComponent(id)}/metrics`, ZMetricsAccepted, { points: batch });
    result.batches += 1;
    result.accepted += answer.accepted;
    result.stored += answer.stored;
  };
  let batch: TMetricPointInput[] = [];
  for await (const point of readPoints(input, source)) {
    batch.push(point);
    result.points += 1;
    if (batch.length === batchSize) {
      await send(batch);
      batch = [];
    }
  }
  if (batch.length > 0) await send(batch);
  if (result.points === 0) throw new CliExit(EXIT.error, `${source}: no points`);
  if (options.json) printJson(io.stdout, result);
  else print(io.stdout, `${result.points} points in ${result.batches} batch${result.batches === 1 ? '' : 'es'}: ${result.stored} stored, ${result.accepted - result.stored} already there`);
  return result;
}
