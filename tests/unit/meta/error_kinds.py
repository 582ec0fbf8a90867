# Copyright (c) 2026, multisite.serverpilot contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Which error kinds each module can return, derived from the code: a call graph over plugins/.

From a module's functions, every function and method it can reach (by name through its imports, ``self``'s class,
a class's own methods, or - for a method of an object - every method of that name in the collection, but for the
methods of Python's own types) is read for what it raises: a ``CollectionError`` (or subclass) with its ``kind``,
the subclass's own kind otherwise, an API failure's kinds by status (``STATUS_KINDS``), and ``exc.kind = ...``.
An over-approximation at worst: a kind the code can reach is never missed.
"""
import ast
import os

from ansible_collections.multisite.serverpilot.plugins.module_utils.errors import STATUS_KINDS

PKG = 'ansible_collections.multisite.serverpilot.plugins.'
# methods of Python's own types and of the libraries the collection uses: a call to one is never the collection's
BUILTIN_METHODS = frozenset(('read', 'write', 'close', 'get', 'update', 'append', 'extend', 'items', 'keys', 'values',
                             'join', 'split', 'strip', 'format', 'encode', 'decode', 'startswith', 'endswith',
                             'lower', 'upper', 'add', 'pop', 'setdefault', 'replace', 'count', 'index', 'sort',
                             'copy', 'clear', 'search', 'match', 'sub', 'findall', 'group', 'execute', 'fetchall',
                             'cursor', 'resolve', 'wrap_socket', 'submit', 'map', 'warn', 'fail_json', 'exit_json'))


class Def:
    def __init__(self, path, qual, node, cls=None):
        self.path, self.qual, self.node, self.cls = path, qual, node, cls


class Index:
    def __init__(self, root):
        self.root = root
        self.files = {}
        for folder in ('module_utils', 'modules'):
            for base, dirs, names in os.walk(os.path.join(root, folder)):
                for name in names:
                    if name.endswith('.py'):
                        path = os.path.join(base, name)
                        self.files[path] = ast.parse(open(path).read())
        self.defs = {}        # path -> {name: [Def]} (functions, and methods by their name)
        self.classes = {}     # path -> {class name: {method: Def}, '__kind__': kind}
        self.class_kind = {}  # class name -> kind attribute (error classes)
        self.class_bases = {}
        self.imports = {}     # path -> {local name: (path or None, attr or None)}
        for path, tree in self.files.items():
            self._index(path, tree)

    def module_path(self, dotted):
        rel = dotted[len(PKG):].split('.')
        cand = os.path.join(self.root, *rel) + '.py'
        if os.path.exists(cand):
            return cand
        cand = os.path.join(self.root, *rel, '__init__.py')
        return cand if os.path.exists(cand) else None

    def _index(self, path, tree):
        defs, classes, imports = {}, {}, {}
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith(PKG):
                for alias in node.names:
                    sub = self.module_path(node.module + '.' + alias.name)
                    if sub:
                        imports[alias.asname or alias.name] = (sub, None)
                    else:
                        imports[alias.asname or alias.name] = (self.module_path(node.module), alias.name)
        for node in tree.body:
            if isinstance(node, (ast.FunctionDef,)):
                defs.setdefault(node.name, []).append(Def(path, node.name, node))
            elif isinstance(node, ast.ClassDef):
                methods = {}
                for item in node.body:
                    if isinstance(item, ast.FunctionDef):
                        d = Def(path, node.name + '.' + item.name, item, node.name)
                        methods[item.name] = d
                        defs.setdefault(item.name, []).append(d)
                    if isinstance(item, ast.Assign) and any(getattr(t, 'id', None) == 'kind' for t in item.targets) \
                            and isinstance(item.value, ast.Constant):
                        self.class_kind[node.name] = item.value.value
                classes[node.name] = methods
                self.class_bases[node.name] = [getattr(b, 'id', getattr(b, 'attr', None)) for b in node.bases]
        self.defs[path], self.classes[path], self.imports[path] = defs, classes, imports

    def kind_of_class(self, name):
        seen = set()
        while name and name not in seen:
            seen.add(name)
            if name in self.class_kind:
                return self.class_kind[name]
            bases = self.class_bases.get(name) or [None]
            name = bases[0]
        return None

    def resolve(self, path, func, cls=None):
        """The defs a call or reference may reach."""
        imports = self.imports[path]
        if isinstance(func, ast.Name):
            name = func.id
            if name in self.defs[path]:
                return [d for d in self.defs[path][name] if d.cls is None] or []
            if name in self.classes[path]:  # a class called: its __init__
                return [self.classes[path][name][m] for m in ('__init__',) if m in self.classes[path][name]]
            if name in imports:
                target, attr = imports[name]
                if target and attr:
                    if attr in self.classes.get(target, {}):
                        return [self.classes[target][attr][m] for m in ('__init__',) if m in self.classes[target][attr]]
                    return [d for d in self.defs.get(target, {}).get(attr, []) if d.cls is None]
            return []
        if isinstance(func, ast.Attribute):
            base = func.value
            if isinstance(base, ast.Name) and base.id in imports and imports[base.id][1] is None:
                target = imports[base.id][0]
                return [d for d in self.defs.get(target, {}).get(func.attr, []) if d.cls is None]
            if isinstance(base, ast.Name) and base.id in self.classes[path]:
                m = self.classes[path][base.id].get(func.attr)
                return [m] if m else []
            if isinstance(base, ast.Name) and base.id == 'self' and cls is not None:
                m = self.classes[path].get(cls, {}).get(func.attr)
                return [m] if m else []
            if func.attr in BUILTIN_METHODS:
                return []  # a file's read(), a dict's get(): not the collection's
            # a method of an object: every method of that name in the collection
            return [d for defs in self.defs.values() for d in defs.get(func.attr, []) if d.cls is not None]
        return []

    def raised(self, d):
        """The kinds a def raises (or builds to raise) directly, and the defs it reaches."""
        kinds, reached = set(), []
        for node in ast.walk(d.node):
            if isinstance(node, ast.Call):
                name = node.func.id if isinstance(node.func, ast.Name) else getattr(node.func, 'attr', None)
                kwargs = dict((k.arg, k.value) for k in node.keywords if k.arg)
                class_kind = self.kind_of_class(name) if name else None
                if class_kind is not None:
                    kind = kwargs.get('kind')
                    if isinstance(kind, ast.Constant):
                        kinds.add(kind.value)
                    elif kind is None and name == 'ServerPilotError' and 'status' in kwargs:
                        kinds.update(set(STATUS_KINDS.values()) | {'transport'})
                    elif kind is None:
                        kinds.add(class_kind)
                reached.extend(self.resolve(d.path, node.func, d.cls))
            elif isinstance(node, ast.Assign):
                for target in node.targets:
                    if isinstance(target, ast.Attribute) and target.attr == 'kind' and isinstance(node.value, ast.Constant):
                        kinds.add(node.value.value)
            elif isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load):
                reached.extend(d2 for d2 in self.resolve(d.path, node) if d2.cls is None)
            elif isinstance(node, ast.Attribute) and isinstance(node.ctx, ast.Load) and isinstance(node.value, ast.Name) \
                    and node.value.id in self.imports[d.path] and self.imports[d.path][node.value.id][1] is None:
                # a module's function passed along (run_module(spec, reader.work))
                reached.extend(self.resolve(d.path, node))
            elif isinstance(node, ast.Attribute) and isinstance(node.ctx, ast.Load) and node.attr == 'client':
                reached.extend(self.defs.get(os.path.join(self.root, 'module_utils', 'runner.py'), {}).get(
                    'build_client', []))
        return kinds, reached

    def kinds_of_module(self, path):
        todo = [d for defs in self.defs[path].values() for d in defs]
        seen, kinds = set(), set()
        while todo:
            d = todo.pop()
            key = (d.path, d.qual)
            if key in seen:
                continue
            seen.add(key)
            found, reached = self.raised(d)
            kinds |= found
            todo.extend(reached)
        return kinds, seen
