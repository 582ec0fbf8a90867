# -*- coding: utf-8 -*-
# Copyright (c) 2026, multisite.serverpilot contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)


class ModuleDocFragment(object):

    # The connection options of the network's database, shared by every reader (database.argument_spec).
    DOCUMENTATION = r'''
options:
  login_host:
    description: The database host. Defaults to C(localhost) when neither O(wp_config) nor O(config_file) says otherwise.
    type: str
  login_port:
    description: The database port. Defaults to C(3306).
    type: int
  login_unix_socket:
    description:
      - The server's Unix socket. For C(localhost) without a port, the usual socket paths are tried, as PHP's mysqli does.
    type: path
  login_user:
    description: The database user.
    type: str
  login_password:
    description: The database user's password. Never shown.
    type: str
  config_file:
    description:
      - A MySQL option file read as the MySQL client reads it (its C([client]) group). A missing file is not an error.
    type: path
    default: ~/.my.cnf
  database:
    description: The WordPress database (C(DB_NAME)).
    type: str
  table_prefix:
    description:
      - WordPress's C($table_prefix).
      - Without O(wp_config), C(wp_). With it, the file's C($table_prefix); a file that lacks it, or sets it by code
        (C(getenv), or C(getenv_docker) as the official WordPress image's config does), is refused - give this option
        then.
    type: str
  wp_config:
    description:
      - The path of the network's C(wp-config.php). C(DB_NAME), C(DB_USER), C(DB_PASSWORD), C(DB_HOST) (with its
        C(host:port) and C(host:/path/to/socket) forms) and C($table_prefix) are read from its PHP statements; the
        file is never executed.
      - Options given explicitly win over it. A setting no option gives must be in the file as a plain string
        literal - one the file lacks, or sets by code (an environment variable, a concatenation), is refused with its
        line, since the controller's environment is not the web server's and a guess would read another network's
        tables.
    type: path
  ca_cert:
    description: A CA certificate to verify the database server's TLS certificate; enables TLS.
    type: path
  check_hostname:
    description: With O(ca_cert), check that the server's certificate names O(login_host).
    type: bool
    default: true
  connect_timeout:
    description: Seconds to wait for the TCP connection.
    type: int
    default: 10
  query_timeout:
    description:
      - Seconds to wait for each answer once connected - the server's greeting, the login, the query's rows.
      - With O(connect_timeout) this bounds the whole read, so a server that accepts the connection and never
        answers fails the task instead of hanging it.
      - A table locked by another session (C(mysqldump --lock-tables), a migration) is waited for half as long, then
        the read fails (C(source_error=lock)).
    type: int
    default: 30
requirements:
  - PyMySQL
'''
