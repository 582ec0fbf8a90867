# Copyright (c) 2026, multisite.serverpilot contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""A report's files are written whole or not at all, with their mode, and say whether anything changed."""

import os

import pytest

from ansible_collections.multisite.serverpilot.plugins.module_utils import report_files
from ansible_collections.multisite.serverpilot.plugins.module_utils.errors import CollectionError


def test_written_whole_with_their_mode_then_unchanged(tmp_path):
    directory = str(tmp_path / 'reports')
    changed, paths = report_files.write(directory, {'a.json': '{}\n', 'a.html': '<p>é</p>'})
    assert changed and paths == [os.path.join(directory, 'a.html'), os.path.join(directory, 'a.json')]
    assert open(paths[0], 'rb').read() == '<p>é</p>'.encode('utf-8')
    assert oct(os.stat(paths[1]).st_mode & 0o777) == '0o644' and oct(os.stat(directory).st_mode & 0o777) == '0o755'
    assert report_files.write(directory, {'a.json': '{}\n', 'a.html': '<p>é</p>'}) == (False, paths)
    os.chmod(paths[1], 0o600)
    assert report_files.write(directory, {'a.json': '{}\n'})[0] is True  # the mode is put back
    assert sorted(os.listdir(directory)) == ['a.html', 'a.json']  # no temporary file left


def test_check_mode_writes_nothing(tmp_path):
    directory = str(tmp_path / 'reports')
    assert report_files.write(directory, {'a.json': '{}'}, check_mode=True)[0] is True
    assert not os.path.exists(directory)


def test_a_failed_write_leaves_the_last_report_and_no_temporary_file(tmp_path, monkeypatch):
    directory = str(tmp_path)
    report_files.write(directory, {'a.json': 'old'})

    def full_disk(*args):
        raise OSError(28, 'No space left on device')
    monkeypatch.setattr(os, 'fsync', full_disk)
    with pytest.raises(CollectionError) as caught:
        report_files.write(directory, {'a.json': 'new'})
    assert caught.value.kind == 'report' and 'No space left on device' in caught.value.msg
    assert open(os.path.join(directory, 'a.json')).read() == 'old' and os.listdir(directory) == ['a.json']


@pytest.mark.parametrize('name', ['', '.', '..', '../escape.json', 'sub/a.json'])
def test_a_file_name_is_a_plain_name(tmp_path, name):
    with pytest.raises(CollectionError) as caught:
        report_files.write(str(tmp_path), {name: 'x'})
    assert caught.value.kind == 'invalid_input'


def test_modes_are_octal(tmp_path):
    with pytest.raises(CollectionError) as caught:
        report_files.write(str(tmp_path), {'a': 'x'}, mode='rw-r--r--')
    assert 'octal' in caught.value.msg


def test_the_modes_are_the_ones_asked_for_whatever_the_umask(tmp_path):
    old = os.umask(0o077)
    try:
        changed, paths = report_files.write(str(tmp_path / 'r'), {'a.json': '{}'}, mode='0640', directory_mode='0750')
    finally:
        os.umask(old)
    assert oct(os.stat(paths[0]).st_mode & 0o777) == '0o640'
    assert oct(os.stat(str(tmp_path / 'r')).st_mode & 0o777) == '0o750'
