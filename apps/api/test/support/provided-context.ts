// What the global setup hands to test files through vitest's provide/inject.

/** Present only when DATABASE_URL is set: that server, and the migrated template on it. */
export interface TestDatabaseServer {
  serverUrl: string;
  template: string;
}

declare module 'vitest' {
  export interface ProvidedContext {
    rampartDatabase?: TestDatabaseServer;
  }
}
