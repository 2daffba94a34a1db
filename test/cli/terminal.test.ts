// Text printed to a terminal cannot carry escape sequences or bidirectional overrides.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { terminalSafe } from '../../src/cli/terminal.ts';

describe('terminalSafe', () => {
  it('shows control characters and bidi overrides as escapes, and keeps tabs, newlines and text', () => {
    assert.equal(terminalSafe('a\tb\nc é 北京 ✓'), 'a\tb\nc é 北京 ✓');
    assert.equal(terminalSafe('x\u001b[2Jy'), 'x\\u001b[2Jy');
    assert.equal(terminalSafe('\u001b]52;c;ZWNobw==\u0007'), '\\u001b]52;c;ZWNobw==\\u0007');
    assert.equal(terminalSafe('a\rb\u0000\u007f\u009b31m'), 'a\\u000db\\u0000\\u007f\\u009b31m');
    assert.equal(terminalSafe('report\u202Efdp.exe\u2066'), 'report\\u202efdp.exe\\u2066');
  });
});
