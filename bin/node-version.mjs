// rowscope runs on Node.js 22 or newer (it uses Map.groupBy, Array#toSorted
// and friends). Checked by both entry points before anything else loads, in
// syntax every old Node parses, so an older Node gets one clear line instead
// of a crash deep inside a dependency.
export function requireNode22() {
  var major = Number(String(process.versions.node).split('.')[0]);
  if (major < 22) {
    process.stderr.write('rowscope: needs Node.js 22 or newer; this is Node.js ' + process.versions.node + ' (' + process.execPath + ')\n');
    process.exit(1);
  }
}
