# Copyright (c) 2026, multisite.serverpilot contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The real PHP as the oracle of the wp-config.php reader: Debian's php-cli loads a file as WordPress's
wp-load.php does (at the global scope), and a stub wp-settings.php beside it records every constant and
variable asked about at the moment WordPress would start reading them - or at the moment the file stops
(return, exit, its end) when it never gets there.
"""

import base64
import json
import os
import shutil
import subprocess

MARK = '@@ORACLE@@'

RUNNER = r"""<?php
// wp-load.php defines ABSPATH, its own directory, before it loads wp-config.php
define( 'ABSPATH', __DIR__ . '/' );
$__oracle_names = json_decode( $argv[2], true );
function __oracle_dump( $where ) {
    static $done = false;
    if ( $done ) {
        return;
    }
    $done = true;
    $out = array( 'reached' => $where, 'values' => array() );
    foreach ( $GLOBALS['__oracle_names'] as $name ) {
        if ( '$' === $name[0] ) {
            $set = array_key_exists( substr( $name, 1 ), $GLOBALS );
            $value = $set ? $GLOBALS[ substr( $name, 1 ) ] : null;
        } else {
            $set = defined( $name );
            $value = $set ? constant( $name ) : null;
        }
        if ( $set ) {
            $out['values'][ $name ] = is_string( $value ) ? array( 'string', base64_encode( $value ) )
                : array( gettype( $value ), null );
        }
    }
    fwrite( STDOUT, "\n@@ORACLE@@" . json_encode( $out ) );
}
register_shutdown_function( function () { __oracle_dump( 'shutdown' ); } );
require $argv[1];
__oracle_dump( 'end' );
"""

STUB = "<?php __oracle_dump( 'wp-settings' ); exit( 0 );\n"


def available():
    return shutil.which('php') is not None


class Oracle:
    """One directory with the runner and the stub; ``run(text)`` puts ``text`` there as wp-config.php."""

    def __init__(self, workdir, included=''):
        self.workdir = workdir
        with open(os.path.join(workdir, 'runner.php'), 'w') as handle:
            handle.write(RUNNER)
        with open(os.path.join(workdir, 'wp-settings.php'), 'w') as handle:
            handle.write(STUB)
        # what an include in a generated file finds: it sets what the reader is asked about
        with open(os.path.join(workdir, 'extra.php'), 'w') as handle:
            handle.write(included)

    def run(self, text, names):
        """{'reached': where, 'values': {name: str (bytes kept as surrogates) or the PHP type's name}} of PHP's
        run of ``text``, or None when PHP could not run it at all (a parse error: no WordPress either)."""
        path = os.path.join(self.workdir, 'wp-config.php')
        with open(path, 'wb') as handle:
            handle.write(text.encode('utf-8', 'surrogateescape'))
        proc = subprocess.run(['php', '-n', '-d', 'display_errors=stderr', '-d', 'short_open_tag=0',
                               os.path.join(self.workdir, 'runner.php'), path, json.dumps(list(names))],
                              capture_output=True, timeout=120, check=False)
        out = proc.stdout.decode('utf-8', 'replace')
        if MARK not in out or b'Parse error' in proc.stderr:
            return None
        found = json.loads(out.rsplit(MARK, 1)[1])
        values = {}
        for name, (kind, data) in (found['values'] or {}).items():
            values[name] = base64.b64decode(data).decode('utf-8', 'surrogateescape') if kind == 'string' else kind
        return {'reached': found['reached'], 'values': values, 'stderr': proc.stderr.decode('utf-8', 'replace')}
