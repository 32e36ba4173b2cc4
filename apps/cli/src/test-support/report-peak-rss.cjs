// Preloaded into a `deltaglider` child (NODE_OPTIONS=--require): at exit, writes the process's
// peak resident set size in bytes to $DG_TEST_PEAK_RSS_FILE, so a test can check memory stays
// bounded. VmHWM, not resourceUsage().maxRSS: Linux keeps ru_maxrss across exec, so a child
// forked from a big test runner would report the runner's size. xdelta3 children not counted.
const file = process.env.DG_TEST_PEAK_RSS_FILE;
if (file) {
  process.on('exit', () => {
    const fs = require('node:fs');
    const status = fs.readFileSync('/proc/self/status', 'utf8');
    const kib = Number(/^VmHWM:\s+(\d+) kB$/m.exec(status)?.[1]);
    fs.writeFileSync(file, String(kib * 1024));
  });
}
