# Copyright (c) 2026, multisite.serverpilot contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The collection's metadata keeps up with its code: action group, AWX credential type, EE requirements."""

import glob
import os
import re

import yaml

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))


def read_yaml(*parts):
    with open(os.path.join(REPO, *parts)) as handle:
        return yaml.safe_load(handle)


def module_names():
    return sorted(os.path.splitext(os.path.basename(p))[0] for p in glob.glob(os.path.join(REPO, 'plugins', 'modules', '*.py'))
                  if not p.endswith('__init__.py'))


def module_source(name):
    with open(os.path.join(REPO, 'plugins', 'modules', name + '.py')) as handle:
        return handle.read()


def test_action_groups_cover_every_module():
    groups = read_yaml('meta', 'runtime.yml')['action_groups']
    grouped = [module for members in groups.values() for module in members]
    # none left out: every module that takes the API's or the database's shared options is in its group; only the
    # role's own helpers, which take neither (the report writer, the migration's credentials reader), are in none
    shared = [name for name in module_names() if 'serverpilot_argument_spec(' in module_source(name)
              or '- multisite.serverpilot.wordpress' in module_source(name)]
    assert sorted(set(grouped)) == shared
    assert set(module_names()) - set(shared) == {'domain_mapping_report', 'domain_mapping_credentials'}
    # a module is in one group: no compatibility group for a release that never was
    assert len(grouped) == len(set(grouped)) and sorted(groups) == ['serverpilot', 'wordpress']
    # every module that talks to ServerPilot takes the shared connection options from the serverpilot group
    api_modules = [name for name in module_names() if 'serverpilot_argument_spec(' in module_source(name)]
    assert sorted(groups['serverpilot']) == api_modules
    assert {'serverpilot_app_domains', 'serverpilot_autossl', 'serverpilot_app_info'} <= set(api_modules)


def test_every_module_documents_its_group_membership():
    groups = read_yaml('meta', 'runtime.yml')['action_groups']
    for group, members in groups.items():
        for name in members:
            source = module_source(name)
            assert ('multisite.serverpilot.serverpilot.attributes' in source if group == 'serverpilot'
                    else '- multisite.serverpilot.%s\n' % group in source), name


def env_names_the_code_reads():
    names = set()
    for path in glob.glob(os.path.join(REPO, 'plugins', '**', '*.py'), recursive=True) + glob.glob(
            os.path.join(REPO, 'roles', '*', 'defaults', '*.yml')):
        with open(path) as handle:
            text = handle.read()
        names.update(re.findall(r"env_fallback, \[\s*'(SERVERPILOT_[A-Z_]+)'", text))
        names.update(re.findall(r"name: (SERVERPILOT_[A-Z_]+)", text))
        names.update(re.findall(r"lookup\('ansible\.builtin\.env', '(SERVERPILOT_[A-Z_]+)'\)", text))
    return names


def test_awx_credential_type_injects_only_what_the_code_reads():
    credential = read_yaml('extensions', 'awx', 'serverpilot_credential_type.yml')
    injected = set(credential['injectors']['env'])
    read = env_names_the_code_reads()
    assert {'SERVERPILOT_CLIENT_ID', 'SERVERPILOT_API_KEY', 'SERVERPILOT_API_URL'} <= read
    assert injected <= read
    assert {'SERVERPILOT_CLIENT_ID', 'SERVERPILOT_API_KEY'} <= injected
    fields = dict((field['id'], field) for field in credential['inputs']['fields'])
    for template in credential['injectors']['env'].values():
        assert re.fullmatch(r'\{\{ (\w+) \}\}', template).group(1) in fields
    for field_id, field in fields.items():
        if re.search('key|password|secret|token', field_id):
            assert field.get('secret') is True, field_id
    assert set(credential['inputs']['required']) == {'client_id', 'api_key'}


def test_run_time_requirements_cover_every_third_party_import():
    with open(os.path.join(REPO, 'meta', 'ee-requirements.txt')) as handle:
        listed = set(re.split(r'[<>=!~ ]', line.strip())[0].lower() for line in handle
                     if line.strip() and not line.startswith('#'))
    imported = set()
    for path in glob.glob(os.path.join(REPO, 'plugins', '**', '*.py'), recursive=True):
        with open(path) as handle:
            for match in re.finditer(r'^\s*(?:import|from) (\w+)', handle.read(), re.M):
                imported.add(match.group(1).lower())
    third_party = imported & {'requests', 'idna', 'publicsuffixlist', 'cryptography', 'pymysql'}
    assert third_party <= listed
    ee = read_yaml('meta', 'execution-environment.yml')
    assert ee['dependencies']['python'] == 'meta/ee-requirements.txt'


def module_code_lines(name):
    """A module's code: every non-blank, non-comment line outside DOCUMENTATION, EXAMPLES and RETURN."""
    import ast
    source = module_source(name)
    docs, names = set(), ('DOCUMENTATION', 'EXAMPLES', 'RETURN')
    for node in ast.parse(source).body:
        if isinstance(node, ast.Assign) and getattr(node.targets[0], 'id', None) in names:
            docs.update(range(node.lineno, node.end_lineno + 1))
    return [line for number, line in enumerate(source.splitlines(), 1)
            if number not in docs and line.strip() and not line.strip().startswith('#')]


def test_modules_read_as_declarations():
    for name in module_names():
        code = '\n'.join(module_code_lines(name))
        assert len(module_code_lines(name)) <= 60, name  # more: a rule or a workflow is hiding in the module
        # one error path and one package check, both in runner.py
        for forbidden in ('AnsibleModule(', 'fail_json', 'exit_json', 'missing_required_lib', 'import requests'):
            assert forbidden not in code, (name, forbidden)
        assert 'run_module(' in code, name


def test_every_module_documents_the_error_kinds_it_can_return():
    """Derived from the code paths (tests/unit/meta/error_kinds.py), not from the whole vocabulary."""
    from ansible_collections.multisite.serverpilot.plugins.module_utils.errors import ERROR_KINDS
    from unit.meta.error_kinds import Index
    index = Index(os.path.join(REPO, 'plugins'))
    for name in module_names():
        returns = yaml.safe_load(module_source(name).split("RETURN = r'''")[1].split("'''")[0])
        documented = ' '.join(returns['error_kind']['description'])
        assert returns['error_kind']['returned'] == 'failure', name
        can_return, dummy = index.kinds_of_module(os.path.join(REPO, 'plugins', 'modules', name + '.py'))
        assert sorted(re.findall(r'V\((\w+)\)', documented)) == sorted(can_return), name
        assert can_return <= set(ERROR_KINDS), name
        assert {'invalid_input', 'missing_library'} <= can_return, name  # the runner's own, for every module


def guide(name):
    with open(os.path.join(REPO, 'docs', 'docsite', 'rst', name + '.rst')) as handle:
        return handle.read()


def test_the_layout_names_every_plugin_file():
    layout = guide('development_guide').split('\nLayout\n------\n')[1]
    for path in glob.glob(os.path.join(REPO, 'plugins', '**', '*.py'), recursive=True):
        folder, name = path.split(os.sep)[-2:]
        if name == '__init__.py' or folder == 'modules':
            continue
        assert name in layout, path
    for folder in ('plugins/modules/', 'roles/domain_mapping/', 'tests/stand_in/', 'benchmarks/', 'changelogs/',
                   'docs/docsite/'):
        assert folder in layout, folder


def test_the_public_api_url_is_written_once():
    hits = []
    for path in glob.glob(os.path.join(REPO, 'plugins', '**', '*.py'), recursive=True) + glob.glob(
            os.path.join(REPO, 'roles', '**', '*.yml'), recursive=True) + glob.glob(
            os.path.join(REPO, 'extensions', '**', '*.yml'), recursive=True):
        with open(path) as handle:
            if 'api.serverpilot.io' in handle.read():
                hits.append(os.path.relpath(path, REPO))
    assert hits == [os.path.join('plugins', 'module_utils', 'serverpilot', 'api.py')]


def test_the_error_kind_analysis_sees_what_each_workflow_raises():
    from unit.meta.error_kinds import Index
    index = Index(os.path.join(REPO, 'plugins'))
    kinds = dict((name, index.kinds_of_module(os.path.join(REPO, 'plugins', 'modules', name + '.py'))[0])
                 for name in module_names())
    assert [name for name in kinds if 'source' in kinds[name]] == ['multisite_domains_info']
    assert [name for name in kinds if 'health' in kinds[name]] == ['serverpilot_domain_health']
    assert [name for name in kinds if 'autossl_unavailable' in kinds[name]] == ['serverpilot_autossl']
    assert {'conflict', 'limit', 'removals', 'action_error'} <= kinds['serverpilot_app_domains']
    assert 'action_error' not in kinds['serverpilot_app_info']  # it never writes, so never waits for an action
    assert 'credentials' not in kinds['multisite_domains_info']  # a refused database login is a source error


def test_the_eda_extensions_are_where_meta_says_and_both_rulebooks_are_valid_and_alike():
    for extension in read_yaml('meta', 'extensions.yml')['extensions']:
        assert os.path.isdir(os.path.join(REPO, 'extensions', extension['args']['ext_dir']))
    assert os.path.exists(os.path.join(REPO, 'extensions', 'eda', 'plugins', 'event_source', 'mapping_changes.py'))
    from ansible_rulebook.validators import Validate
    playbook, controller = (read_yaml('extensions', 'eda', 'rulebooks', name + '.yml')[0]
                            for name in ('sync_on_change', 'sync_on_change_controller'))
    for rulebook in (playbook, controller):
        Validate.rulebook([rulebook])  # ansible-rulebook's own schema
        assert rulebook['execution_strategy'] == 'sequential'  # two syncs of one app never overlap
    # the controller variant differs only in its action: the same source, condition and forwarded settings
    assert playbook['sources'] == controller['sources']
    assert [r['condition'] for r in playbook['rules']] == [r['condition'] for r in controller['rules']]
    # each says what changed first (the same words), then runs the sync
    assert playbook['rules'][0]['actions'][0] == controller['rules'][0]['actions'][0]
    assert 'added' in playbook['rules'][0]['actions'][0]['debug']['msg']
    run, launch = (playbook['rules'][0]['actions'][1]['run_playbook'],
                   controller['rules'][0]['actions'][1]['run_job_template'])
    assert run['name'] == 'multisite.serverpilot.sync_network'
    # a health finding is reported, never retried: the run fails only when its sync does
    assert run['extra_vars'] == launch['job_args']['extra_vars'] == {'serverpilot_network': '{{ serverpilot_network }}',
                                                                     'serverpilot_fail_on': 'never'}
    assert (run['retries'], run['delay']) == (launch['retries'], launch['delay'])


def test_every_list_of_mapping_sources_names_every_plugin():
    """A seventh plugin is its file, its registry line and its test - and a line in each list of sources a user
    reads (the module's, the event source's, the role's, the database guide's), which this test finds missing."""
    from ansible_collections.multisite.serverpilot.plugins.module_utils.wordpress.mapping_plugins import PLUGINS
    module = yaml.safe_load(module_source('multisite_domains_info').split("DOCUMENTATION = r'''")[1].split("'''")[0])
    source = module['options']['source']
    with open(os.path.join(REPO, 'extensions', 'eda', 'plugins', 'event_source', 'mapping_changes.py')) as handle:
        event_source = handle.read()
    role = read_yaml('roles', 'domain_mapping', 'meta', 'argument_specs.yml')
    database = ' '.join(role['argument_specs']['main']['options']['serverpilot_database']['description'])
    table = guide('database_guide').split('.. list-table::')[1].split('\n\n', 2)[1]
    assert source['choices'] == ['auto'] + [plugin.name for plugin in PLUGINS]
    for plugin in PLUGINS:
        assert any(line.startswith('V(%s) - ' % plugin.name) for line in source['description']), plugin.name
        assert 'C(%s)' % plugin.name in event_source.split('\n  source:\n')[1].split('type:')[0], plugin.name
        assert 'C(%s)' % plugin.name in database, plugin.name
        assert re.search(r'^   \* - ``%s``( |$)' % plugin.name, table, re.M), plugin.name


def test_the_reader_never_names_a_plugin():
    """What differs per plugin is behind its hooks (mapping_plugins/base.py): the read, detection and the role's
    planning never test a plugin's name or import a plugin's module."""
    from ansible_collections.multisite.serverpilot.plugins.module_utils.wordpress.mapping_plugins import PLUGINS
    for path in ('wordpress/reader.py', 'wordpress/detection.py', 'role_plan.py'):
        with open(os.path.join(REPO, 'plugins', 'module_utils', path)) as handle:
            code = handle.read()
        for plugin in PLUGINS:
            assert "'%s'" % plugin.name not in code, (path, plugin.name)
            assert 'mapping_plugins.%s ' % plugin.name not in code, (path, plugin.name)


def test_the_two_wings_import_only_what_they_share():
    """module_utils/serverpilot/ and module_utils/wordpress/ never import each other: what both need (errors,
    addresses, domain_names, ...) lives beside them, and only the role's planning (role_plan.py) joins them."""
    for wing, other in (('serverpilot', 'wordpress'), ('wordpress', 'serverpilot')):
        for path in glob.glob(os.path.join(REPO, 'plugins', 'module_utils', wing, '**', '*.py'), recursive=True):
            with open(path) as handle:
                assert 'plugins.module_utils.%s' % other not in handle.read(), path


def test_the_guides_are_in_the_docsite_and_their_references_resolve():
    """Every guide is listed in extra-docs.yml and opens with its label; every :ref: names a label a guide has
    (antsibull-docs checks the plugin references, --check-extra-docs-refs, but not these)."""
    listed = [name for section in read_yaml('docs', 'docsite', 'extra-docs.yml')['sections']
              for name in section['toctree']]
    rst = glob.glob(os.path.join(REPO, 'docs', 'docsite', 'rst', '*.rst'))
    files = sorted(os.path.basename(path)[:-len('.rst')] for path in rst)
    assert sorted(listed) == files
    labels = set()
    for name in files:
        text = guide(name)
        assert '\n.. _ansible_collections.multisite.serverpilot.docsite.%s:\n' % name in text, name
        labels.update(re.findall(r'^\.\. _([\w.-]+):$', text, re.M))
    for name in files:
        for target in re.findall(r':ref:`[^`<]*<([^>]+)>`', guide(name)):
            assert target in labels, (name, target)
    with open(os.path.join(REPO, 'README.md')) as handle:
        readme = handle.read()
    for name in files:  # the README links each guide
        assert '(docs/docsite/rst/%s.rst)' % name in readme, name
