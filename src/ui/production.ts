/**
 * Imported first by the full-screen entry points, before React loads: React and its reconciler
 * choose their build when first imported, and the development build (the default when NODE_ENV is
 * unset) costs several times more per render and logs timings, which a show does not want.
 * A NODE_ENV that is already set (tests set "test") is left as it is.
 */
process.env.NODE_ENV ??= 'production';
export {};
