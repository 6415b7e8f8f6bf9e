// Types of generate-config-types.mjs, for the test that checks its output.
export const typesFile: string;
export function render(schema: unknown): Promise<string>;
export function schemaOfBuild(): Promise<unknown>;
