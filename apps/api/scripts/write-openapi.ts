// Writes docs/openapi_v1.yaml from the routes' schemas. A test fails when the committed file and the
// served document differ, so run this after changing a route.
import { writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { openApiYaml } from '../src/openapi-document.js';

const target = fileURLToPath(new URL('../../../docs/openapi_v1.yaml', import.meta.url));
await writeFile(target, await openApiYaml());
console.log(`wrote ${target}`);
