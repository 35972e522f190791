/**
 * Babel plugin for Jest only: ES modules that do `const require = createRequire(import.meta.url)`
 * become CommonJS, where `require` already exists and the redeclaration breaks the module. Drop it.
 */
module.exports = function dropCreateRequire({ types: t }) {
  return {
    visitor: {
      VariableDeclarator(path) {
        const { id, init } = path.node;
        if (
          t.isIdentifier(id, { name: 'require' }) &&
          t.isCallExpression(init) &&
          t.isIdentifier(init.callee, { name: 'createRequire' })
        ) {
          path.remove();
        }
      },
    },
  };
};
