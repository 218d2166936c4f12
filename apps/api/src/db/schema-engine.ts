// Prisma's schema engine (the part behind `prisma migrate`) as WebAssembly: the CLI's native
// engine binary is downloaded at run time, which this machine cannot do. The wasm build talks
// to the database through a driver adapter (here @prisma/adapter-pg) instead of its own driver.
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { PrismaPg } from '@prisma/adapter-pg';
import { bindMigrationAwareSqlAdapterFactory, DriverAdapterError } from '@prisma/driver-adapter-utils';
import type { SqlDriverAdapter, SqlMigrationAwareDriverAdapterFactory } from '@prisma/driver-adapter-utils';
// Node 20 cannot import the package's main entry (it imports the .wasm file as an ES module),
// so take the JS glue and instantiate the .wasm beside it by hand.
import * as glue from '@prisma/schema-engine-wasm/schema_engine_bg';
import type { SchemaEngine, SchemaFilter } from '@prisma/schema-engine-wasm/schema_engine_bg';
import type pg from 'pg';

export type { SchemaEngine };

/** No tables or enums are managed outside Prisma. */
export const NO_EXTERNAL_ENTITIES: SchemaFilter = { externalTables: [], externalEnums: [] };

let loading: Promise<void> | undefined;

/** Compiles and starts the wasm module once per process (about 5 MB). */
function loadWasm(): Promise<void> {
  loading ??= (async () => {
    const glueFile = createRequire(import.meta.url).resolve('@prisma/schema-engine-wasm/schema_engine_bg');
    const bytes = await readFile(join(dirname(glueFile), 'schema_engine_bg.wasm'));
    const module = await WebAssembly.compile(bytes);
    const instance = await WebAssembly.instantiate(module, { './schema_engine_bg.js': withUnrefTimers(glue) });
    glue.__wbg_set_wasm(instance.exports);
    (instance.exports['__wbindgen_start'] as () => void)();
  })();
  // A failed load (say, a missing file) may be retried after it is fixed.
  loading.catch(() => {
    loading = undefined;
  });
  return loading;
}

/**
 * The engine races its work against 10 s timers it never clears (the glue has no
 * clearTimeout), which would hold a finished process open for 10 s. Unref'd, they still fire
 * while anything else (a query) keeps the process alive, and no longer hold it open alone.
 */
function withUnrefTimers(imports: typeof glue): WebAssembly.ModuleImports {
  const wrapped: Record<string, unknown> = { ...imports };
  for (const [name, value] of Object.entries(imports)) {
    if (name.startsWith('__wbg_setTimeout_') && typeof value === 'function') {
      wrapped[name] = (...args: unknown[]) => {
        const timer: unknown = Reflect.apply(value, undefined, args);
        (timer as { unref?: () => void } | undefined)?.unref?.();
        return timer;
      };
    }
  }
  return wrapped as WebAssembly.ModuleImports;
}

export interface OpenSchemaEngineOptions {
  /**
   * The database to work on. The engine connects as it starts (it asks for the server's
   * version) even for work that touches no database, such as a diff of two schema files.
   */
  connectionString: string;
  /** Receives the engine's log lines (JSON); dropped by default. */
  log?: (line: string) => void;
}

export interface OpenedSchemaEngine {
  engine: SchemaEngine;
  /** Frees the engine and closes the connections it opened. */
  close(): Promise<void>;
}

export async function openSchemaEngine(options: OpenSchemaEngineOptions): Promise<OpenedSchemaEngine> {
  await loadWasm();
  // One connection, as the native engine has: the session-level advisory lock it takes so that
  // two migrators never run together belongs on the connection that does the migrating.
  const adapters = new WholeScriptPg(new PrismaPg({ connectionString: options.connectionString, max: 1 }));
  const log = options.log ?? (() => undefined);
  const engine = await glue.SchemaEngine.new({ datamodels: undefined }, log, bindMigrationAwareSqlAdapterFactory(adapters));
  let closed: Promise<void> | undefined;
  return {
    engine,
    close: () =>
      (closed ??= (async () => {
        engine.free();
        await adapters.disposeAll();
      })()),
  };
}

/**
 * adapter-pg's executeScript splits a script at every ";" and runs the pieces one by one,
 * which breaks any statement with a semicolon inside (a plpgsql function body, a string).
 * `prisma migrate deploy`'s native engine sends a migration as one simple-protocol query;
 * this does the same, so a migration also runs as one implicit transaction, as it does there.
 */
class WholeScriptPg implements SqlMigrationAwareDriverAdapterFactory {
  readonly provider = 'postgres';
  readonly adapterName: string;
  readonly #inner: PrismaPg;
  readonly #opened: SqlDriverAdapter[] = [];

  constructor(inner: PrismaPg) {
    this.#inner = inner;
    this.adapterName = inner.adapterName;
  }

  async connect(): Promise<SqlDriverAdapter> {
    return this.#track(await this.#inner.connect());
  }

  async connectToShadowDb(): Promise<SqlDriverAdapter> {
    return this.#track(await this.#inner.connectToShadowDb());
  }

  async disposeAll(): Promise<void> {
    const opened = this.#opened.splice(0);
    await Promise.all(opened.map((adapter) => adapter.dispose()));
  }

  #track<A extends SqlDriverAdapter & { underlyingDriver(): pg.Pool }>(adapter: A): A {
    const pool = adapter.underlyingDriver();
    adapter.executeScript = async (script: string) => {
      try {
        await pool.query(script);
      } catch (error) {
        throw toDriverAdapterError(error);
      }
    };
    this.#opened.push(adapter);
    return adapter;
  }
}

/** The shape adapter-pg gives database errors, so the engine reports them the same way. */
function toDriverAdapterError(error: unknown): unknown {
  if (!(error instanceof Error) || typeof (error as { code?: unknown }).code !== 'string') return error;
  const e = error as pg.DatabaseError;
  return new DriverAdapterError({
    kind: 'postgres',
    code: e.code ?? 'N/A',
    severity: e.severity ?? 'N/A',
    message: e.message,
    detail: e.detail,
    column: e.column,
    hint: e.hint,
  });
}
