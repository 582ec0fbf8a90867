# -*- coding: utf-8 -*-
# Copyright (c) 2026, multisite.serverpilot contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""A run's report files, each written whole or not at all: a reader (the operator, AWX, a monitor) sees the last
report or this one, never half of one."""

import os
import tempfile

from ansible_collections.multisite.serverpilot.plugins.module_utils.errors import CollectionError


def _mode(text, option):
    try:
        return int(text, 8)
    except (TypeError, ValueError):
        raise CollectionError('%s must be an octal mode such as 0644, not %r.' % (option, text))


def _same(path, data):
    try:
        with open(path, 'rb') as handle:
            return handle.read() == data
    except (IOError, OSError):
        return False


def write(directory, files, mode='0644', directory_mode='0755', check_mode=False):
    """Write ``files`` ({file name: text}) into ``directory`` (made with ``directory_mode`` if missing), each through
    a temporary file in the same directory renamed over the old one, with ``mode``. Returns (changed, paths): changed
    when a file is new or its content or mode differs."""
    file_mode, dir_mode = _mode(mode, 'mode'), _mode(directory_mode, 'directory_mode')
    for name in files:
        if not name or name in ('.', '..') or os.sep in name or (os.altsep and os.altsep in name):
            raise CollectionError('A report file name must be a plain file name, not %r.' % name)
    changed, paths = False, []
    if not os.path.isdir(directory):
        changed = True
        if not check_mode:
            try:
                os.makedirs(directory, dir_mode)
                os.chmod(directory, dir_mode)  # the mode asked for, whatever the umask took from it
            except OSError as exc:
                raise CollectionError('Cannot create the report directory %s: %s.' % (directory, exc.strerror),
                                      kind='report')
    for name in sorted(files):
        path = os.path.join(directory, name)
        data = files[name].encode('utf-8')
        paths.append(path)
        if _same(path, data) and (os.stat(path).st_mode & 0o7777) == file_mode:
            continue
        changed = True
        if check_mode:
            continue
        try:
            handle, temporary = tempfile.mkstemp(prefix='.%s.' % name, dir=directory)
            try:
                with os.fdopen(handle, 'wb') as out:
                    out.write(data)
                    out.flush()
                    os.fsync(out.fileno())
                os.chmod(temporary, file_mode)
                os.replace(temporary, path)
            except BaseException:
                os.unlink(temporary)
                raise
        except (IOError, OSError) as exc:
            raise CollectionError('Cannot write the report %s: %s.' % (path, exc.strerror or exc), kind='report')
    return changed, paths
