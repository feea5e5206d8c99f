'use strict';
// Creates the spec's schema with TypeORM's synchronize() or Sequelize's sync(), using
// the peer harness's own model builders: the adapter file is loaded without running its
// benchmark, and its builder functions are exported.
//   node create.js typeorm|sequelize SPEC DB
const fs = require('fs');
const path = require('path');
const Module = require('module');

const [, , peer, specFile, db] = process.argv;
const file = path.join(__dirname, '..', 'node', `peer_${peer}.js`);
const source = fs.readFileSync(file, 'utf8').replace(/^main\(\)\.catch[^\n]*$/m, '');
const exported = peer === 'typeorm' ? 'module.exports = { buildEntities, makeDs };' : 'module.exports = { make };';
const m = new Module(file, module);
m.filename = file;
m.paths = Module._nodeModulePaths(path.dirname(file));
m._compile(source + '\n' + exported, file);
const spec = JSON.parse(fs.readFileSync(specFile, 'utf8'));

(async () => {
  if (peer === 'typeorm') {
    const ds = await m.exports.makeDs(db, m.exports.buildEntities(spec, false));
    await ds.synchronize();
    await ds.destroy();
  } else {
    const s = await m.exports.make(db, spec, false);
    await s.sync();
    await s.close();
  }
})().catch((e) => { console.error(e); process.exit(1); });
