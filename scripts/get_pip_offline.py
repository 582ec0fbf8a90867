"""Stand-in for ansible-test's pip bootstrap script, which it downloads from a host this
project cannot reach. Installs the requested pip from the package index instead.

ansible-test runs it as: python get_pip_X_Y.py --disable-pip-version-check pip==X.Y [--no-setuptools] [--no-wheel]
"""
import subprocess
import sys

packages = [arg for arg in sys.argv[1:] if not arg.startswith('-')]
subprocess.check_call([sys.executable, '-m', 'ensurepip', '--default-pip'], stdout=subprocess.DEVNULL)
subprocess.check_call([sys.executable, '-m', 'pip', 'install', '--quiet', '--disable-pip-version-check'] + packages)
