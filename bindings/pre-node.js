// In Node, hand Emscripten the wasm bytes: 3.1.6 would otherwise fetch() a
// file: URL, which Node's fetch refuses. `_scriptDir` (not import.meta, which
// 3.1.6's JS optimizer cannot parse here) is this module's URL.
if (
  !Module['wasmBinary'] &&
  typeof process == 'object' &&
  process.versions &&
  process.versions.node &&
  typeof process.getBuiltinModule == 'function'
) {
  Module['wasmBinary'] = process.getBuiltinModule('fs').readFileSync(new URL('engine.wasm', _scriptDir));
}
