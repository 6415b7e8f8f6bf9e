// The dev server must not pre-bundle latentlab, or the engine.wasm beside its
// module is lost; production builds need nothing.
export default { optimizeDeps: { exclude: ['latentlab'] } };
