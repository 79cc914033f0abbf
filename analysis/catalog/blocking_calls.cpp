// The blocking-API catalog. A row group shares a code, an alternative and a fix; names are qualified
// names (`time.sleep`), methods of a canonical type (`requests.Session.get`, types from types.cpp), or
// `Type.*` for every public method of an instance. A name listed under an empty code is an exception to a
// `.*` row: it does not block.
#include <unordered_map>

#include "analysis/catalog/catalog.h"

namespace loopsafe {
namespace {

struct Group {
  CatalogEntry entry;
  std::vector<std::string_view> names;
};

constexpr std::string_view kHttp = "`httpx.AsyncClient` or `aiohttp`";
constexpr std::string_view kFiles = "`aiofiles` or `await asyncio.to_thread(...)`";
constexpr std::string_view kPaths = "`anyio.Path` or `await asyncio.to_thread(...)`";
constexpr std::string_view kOsFiles = "`aiofiles.os` or `await asyncio.to_thread(...)`";

const std::vector<Group>& groups() {
  static const std::vector<Group> table = {
      // --- flake8-async / ruff codes ---
      {{"ASYNC210", kHttp},
       {"requests.get",
        "requests.post",
        "requests.put",
        "requests.patch",
        "requests.delete",
        "requests.head",
        "requests.options",
        "requests.request",
        "requests.connect",
        "requests.trace",
        "requests.api.get",
        "requests.api.post",
        "requests.api.request",
        "requests.Session.get",
        "requests.Session.post",
        "requests.Session.put",
        "requests.Session.patch",
        "requests.Session.delete",
        "requests.Session.head",
        "requests.Session.options",
        "requests.Session.request",
        "requests.Session.send",
        "httpx.get",
        "httpx.post",
        "httpx.put",
        "httpx.patch",
        "httpx.delete",
        "httpx.head",
        "httpx.options",
        "httpx.request",
        "httpx.stream",
        "httpx.connect",
        "httpx.trace",
        "urllib.request.urlopen",
        "urllib.request.urlretrieve",
        "urllib3.request"}},
      {{"ASYNC211", kHttp},
       {"urllib3.PoolManager.request", "urllib3.PoolManager.urlopen",
        "urllib3.PoolManager.request_encode_url", "urllib3.PoolManager.request_encode_body",
        "urllib3.HTTPConnectionPool.request", "urllib3.HTTPConnectionPool.urlopen",
        "urllib3.HTTPConnectionPool.request_encode_url", "urllib3.HTTPConnectionPool.request_encode_body",
        "http.client.HTTPConnection.request", "http.client.HTTPConnection.getresponse",
        "http.client.HTTPConnection.connect", "http.client.HTTPConnection.send",
        "http.client.HTTPConnection.endheaders"}},
      {{"ASYNC212", "`httpx.AsyncClient` (`await client.get(...)`)"},
       {"httpx.Client.close", "httpx.Client.delete", "httpx.Client.get", "httpx.Client.head",
        "httpx.Client.options", "httpx.Client.patch", "httpx.Client.post", "httpx.Client.put",
        "httpx.Client.request", "httpx.Client.send", "httpx.Client.stream"}},
      {{"ASYNC220", "`await asyncio.create_subprocess_exec()`", FixKind::None},
       {"subprocess.Popen", "os.popen"}},
      {{"ASYNC221", "`await asyncio.create_subprocess_exec()` and `await proc.communicate()`"},
       {"os.system", "os.posix_spawn", "os.posix_spawnp", "subprocess.run", "subprocess.call",
        "subprocess.check_call", "subprocess.check_output", "subprocess.getoutput",
        "subprocess.getstatusoutput"}},
      {{"ASYNC221", "`await asyncio.create_subprocess_exec()` and `await proc.communicate()`",
        FixKind::ToThread, Refinement::SpawnMode},
       {"os.spawnl", "os.spawnle", "os.spawnlp", "os.spawnlpe", "os.spawnv", "os.spawnve", "os.spawnvp",
        "os.spawnvpe"}},
      {{"ASYNC222", "`await proc.wait()` on an `asyncio.subprocess.Process`"},
       {"os.wait", "os.wait3", "os.wait4", "os.waitid", "os.waitpid"}},
      {{"ASYNC230", kFiles},
       {"open", "builtins.open", "io.open", "io.open_code", "codecs.open", "gzip.open", "bz2.open",
        "lzma.open", "tokenize.open", "wave.open", "dbm.open", "shelve.open", "pathlib.Path.open"}},
      {{"ASYNC231", "`aiofiles` or `anyio.wrap_file()`"}, {"os.fdopen"}},
      {{"ASYNC232", "`aiofiles` (`await f.read()`) or `await asyncio.to_thread(...)`"}, {"io.File.*"}},
      // os.path functions that reach the disk (or the password database, for expanduser); the rest of
      // os.path computes on strings. normpath is pure too, but flake8-async and ruff both report it and
      // existing noqa comments expect that.
      {{"ASYNC240", kPaths, FixKind::ToThread, Refinement::None, true},
       {"os.path.abspath",      "os.path.exists",     "os.path.lexists",        "os.path.isfile",
        "os.path.isdir",        "os.path.islink",     "os.path.ismount",        "os.path.isjunction",
        "os.path.getsize",      "os.path.getmtime",   "os.path.getatime",       "os.path.getctime",
        "os.path.realpath",     "os.path.relpath",    "os.path.normpath",       "os.path.samefile",
        "os.path.sameopenfile", "os.path.expanduser", "os.path._path_normpath", "os.path._joinrealpath",
        "pathlib.Path.*"}},
      // Path methods that open the file: ruff reports them as ASYNC230 as well.
      {{"ASYNC240", kPaths, FixKind::ToThread, Refinement::None, true, "ASYNC230"},
       {"pathlib.Path.read_text", "pathlib.Path.read_bytes", "pathlib.Path.write_text",
        "pathlib.Path.write_bytes", "pathlib.Path.touch"}},
      // Pure methods of pathlib: they compute on strings and touch no disk.
      {{"", ""},
       {"pathlib.Path.as_posix", "pathlib.Path.as_uri", "pathlib.Path.is_absolute",
        "pathlib.Path.is_relative_to", "pathlib.Path.is_reserved", "pathlib.Path.joinpath",
        "pathlib.Path.match", "pathlib.Path.full_match", "pathlib.Path.relative_to", "pathlib.Path.with_name",
        "pathlib.Path.with_segments", "pathlib.Path.with_stem", "pathlib.Path.with_suffix",
        "pathlib.Path.from_uri"}},
      {{"ASYNC250", "`await asyncio.to_thread(input, ...)`", FixKind::ToThread, Refinement::None, true},
       {"input", "builtins.input"}},
      {{"ASYNC251", "`await asyncio.sleep()`", FixKind::Sleep, Refinement::None, true}, {"time.sleep"}},

      // --- LS101: sync database drivers and ORMs ---
      {{"LS101", "`asyncpg` or psycopg 3's `AsyncConnection`"},
       {"psycopg2.connect", "psycopg2.connection.commit", "psycopg2.connection.rollback",
        "psycopg2.cursor.execute", "psycopg2.cursor.executemany", "psycopg2.cursor.fetchone",
        "psycopg2.cursor.fetchall", "psycopg2.cursor.fetchmany", "psycopg2.cursor.callproc",
        "psycopg2.cursor.copy_from", "psycopg2.cursor.copy_to", "psycopg2.cursor.copy_expert",
        "psycopg2.pool.getconn"}},
      {{"LS101", "psycopg's `AsyncConnection` (`await psycopg.AsyncConnection.connect()`)"},
       {"psycopg.connect", "psycopg.Connection.connect", "psycopg.Connection.execute",
        "psycopg.Connection.commit", "psycopg.Connection.rollback", "psycopg.Cursor.execute",
        "psycopg.Cursor.executemany", "psycopg.Cursor.fetchone", "psycopg.Cursor.fetchall",
        "psycopg.Cursor.fetchmany", "psycopg.Cursor.copy", "psycopg.Cursor.stream",
        "psycopg_pool.ConnectionPool.getconn"}},
      {{"LS101", "`aiomysql` or `asyncmy`"},
       {"pymysql.connect",
        "pymysql.Connect",
        "pymysql.Connection.commit",
        "pymysql.Connection.rollback",
        "pymysql.Connection.ping",
        "pymysql.Connection.query",
        "pymysql.Cursor.execute",
        "pymysql.Cursor.executemany",
        "pymysql.Cursor.fetchone",
        "pymysql.Cursor.fetchall",
        "pymysql.Cursor.fetchmany",
        "pymysql.Cursor.callproc",
        "MySQLdb.connect",
        "MySQLdb.Connect",
        "MySQLdb.Connection.commit",
        "MySQLdb.Connection.rollback",
        "MySQLdb.Connection.query",
        "MySQLdb.Cursor.execute",
        "MySQLdb.Cursor.executemany",
        "MySQLdb.Cursor.fetchone",
        "MySQLdb.Cursor.fetchall",
        "MySQLdb.Cursor.fetchmany",
        "MySQLdb.Cursor.callproc"}},
      {{"LS101", "`aiosqlite`"},
       {"sqlite3.connect", "sqlite3.Connection.execute", "sqlite3.Connection.executemany",
        "sqlite3.Connection.executescript", "sqlite3.Connection.commit", "sqlite3.Connection.rollback",
        "sqlite3.Connection.backup", "sqlite3.Cursor.execute", "sqlite3.Cursor.executemany",
        "sqlite3.Cursor.executescript", "sqlite3.Cursor.fetchone", "sqlite3.Cursor.fetchall",
        "sqlite3.Cursor.fetchmany"}},
      {{"LS101", "`motor` (`AsyncIOMotorClient`) or PyMongo's `AsyncMongoClient`"},
       {"pymongo.MongoClient.server_info", "pymongo.MongoClient.list_database_names",
        "pymongo.MongoClient.list_databases", "pymongo.MongoClient.drop_database",
        "pymongo.MongoClient.start_session", "pymongo.Database.command",
        "pymongo.Database.list_collection_names", "pymongo.Database.list_collections",
        "pymongo.Database.create_collection", "pymongo.Database.drop_collection",
        "pymongo.Database.aggregate", "pymongo.Database.validate_collection", "pymongo.Collection.*"}},
      {{"", ""}, {"pymongo.Collection.with_options", "pymongo.Collection.get_collection"}},
      {{"LS101", "SQLAlchemy's `AsyncSession` (`await session.execute(...)`)"},
       {"sqlalchemy.orm.Session.query", "sqlalchemy.orm.Session.execute", "sqlalchemy.orm.Session.scalars",
        "sqlalchemy.orm.Session.scalar", "sqlalchemy.orm.Session.get", "sqlalchemy.orm.Session.get_one",
        "sqlalchemy.orm.Session.commit", "sqlalchemy.orm.Session.flush", "sqlalchemy.orm.Session.refresh",
        "sqlalchemy.orm.Session.merge", "sqlalchemy.orm.Session.rollback",
        "sqlalchemy.orm.Session.connection"}},
      {{"LS101", "`create_async_engine()` and `async with engine.connect()`"},
       {"sqlalchemy.Engine.connect", "sqlalchemy.Engine.begin", "sqlalchemy.Engine.execute",
        "sqlalchemy.Engine.raw_connection", "sqlalchemy.Connection.execute", "sqlalchemy.Connection.scalar",
        "sqlalchemy.Connection.scalars", "sqlalchemy.Connection.commit", "sqlalchemy.Connection.rollback",
        "sqlalchemy.Connection.exec_driver_sql"}},

      // --- LS102: sync cache, queue and cloud clients ---
      {{"LS102", "`redis.asyncio`"},
       {"redis.Redis.*", "redis.Pipeline.execute", "redis.PubSub.get_message", "redis.PubSub.listen",
        "redis.PubSub.subscribe", "redis.PubSub.psubscribe", "redis.PubSub.unsubscribe", "redis.Lock.acquire",
        "redis.Lock.release", "redis.Lock.extend"}},
      {{"", ""},
       {"redis.Redis.pipeline", "redis.Redis.pubsub", "redis.Redis.lock", "redis.Redis.register_script"}},
      {{"LS102", "`elasticsearch.AsyncElasticsearch`"},
       {"elasticsearch.Elasticsearch.*", "elasticsearch.Namespace.*", "elasticsearch.helpers.bulk",
        "elasticsearch.helpers.scan", "elasticsearch.helpers.streaming_bulk",
        "elasticsearch.helpers.reindex"}},
      {{"LS102", "`aioboto3` or `await asyncio.to_thread(...)`"},
       {"boto3.Client.*", "boto3.ResourceObject.*"}},
      {{"", ""},
       {"boto3.Client.get_paginator", "boto3.Client.get_waiter", "boto3.Client.can_paginate",
        "boto3.Client.generate_presigned_url", "boto3.Client.generate_presigned_post"}},
      {{"LS102", "`aiokafka`"},
       {"kafka.KafkaConsumer", "kafka.KafkaProducer", "kafka.KafkaConsumer.poll",
        "kafka.KafkaConsumer.commit", "kafka.KafkaConsumer.close", "kafka.KafkaConsumer.committed",
        "kafka.KafkaConsumer.position", "kafka.KafkaConsumer.end_offsets",
        "kafka.KafkaConsumer.beginning_offsets", "kafka.KafkaConsumer.topics", "kafka.KafkaProducer.send",
        "kafka.KafkaProducer.flush", "kafka.KafkaProducer.close"}},
      {{"LS102", "`aio-pika`"},
       {"pika.BlockingConnection", "pika.BlockingConnection.channel", "pika.BlockingConnection.close",
        "pika.BlockingConnection.process_data_events", "pika.BlockingConnection.sleep",
        "pika.BlockingChannel.*"}},
      {{"LS102",
        "`await asyncio.to_thread(result.get)`, or poll `result.ready()` between `await asyncio.sleep()`s"},
       {"celery.AsyncResult.get", "celery.AsyncResult.wait", "celery.AsyncResult.collect"}},

      {{"LS102", "`openai.AsyncOpenAI` / `anthropic.AsyncAnthropic` (awaited)"},
       {"openai.Resource.*", "openai.ChatCompletion.create", "openai.Completion.create",
        "openai.Embedding.create", "openai.Image.create", "openai.Moderation.create"}},
      {{"", ""}, {"openai.Resource.with_raw_response", "openai.Resource.with_streaming_response"}},
      {{"LS102", "`asyncssh` or `await asyncio.to_thread(...)`"},
       {"paramiko.SSHClient.connect", "paramiko.SSHClient.exec_command", "paramiko.SSHClient.open_sftp",
        "paramiko.SSHClient.load_system_host_keys"}},

      // --- LS103: other blocking stdlib I/O ---
      {{"LS103", "import at module load time, or `await asyncio.to_thread(...)`"},
       {"importlib.import_module",         "importlib.reload",
        "importlib.util.find_spec",        "__import__",
        "importlib.metadata.version",      "importlib.metadata.metadata",
        "importlib.metadata.distribution", "importlib.metadata.distributions",
        "importlib.metadata.entry_points", "importlib.metadata.files",
        "importlib.metadata.requires",     "importlib.metadata.packages_distributions",
        "importlib.resources.read_text",   "importlib.resources.read_binary",
        "importlib.resources.open_text",   "importlib.resources.open_binary",
        "pkg_resources.get_distribution",  "pkg_resources.require",
        "pkg_resources.iter_entry_points", "pkg_resources.resource_string",
        "pkg_resources.resource_filename"}},
      {{"LS103", kOsFiles},
       {"glob.glob",
        "glob.iglob",
        "os.listdir",
        "os.scandir",
        "os.walk",
        "os.fwalk",
        "os.stat",
        "os.lstat",
        "os.remove",
        "os.unlink",
        "os.rename",
        "os.renames",
        "os.replace",
        "os.makedirs",
        "os.mkdir",
        "os.rmdir",
        "os.removedirs",
        "os.chmod",
        "os.chown",
        "os.lchown",
        "os.utime",
        "os.truncate",
        "os.link",
        "os.symlink",
        "os.readlink",
        "os.access",
        "os.statvfs",
        "os.open",
        "os.read",
        "os.write",
        "os.fsync",
        "os.fdatasync",
        "os.sendfile",
        "os.mkfifo",
        "shutil.*",
        "tempfile.TemporaryFile",
        "tempfile.NamedTemporaryFile",
        "tempfile.SpooledTemporaryFile",
        "tempfile.mkstemp",
        "tempfile.mkdtemp",
        "tempfile.TemporaryDirectory",
        "zipfile.ZipFile",
        "zipfile.is_zipfile",
        "zipfile.ZipFile.read",
        "zipfile.ZipFile.extract",
        "zipfile.ZipFile.extractall",
        "zipfile.ZipFile.write",
        "zipfile.ZipFile.writestr",
        "zipfile.ZipFile.testzip",
        "tarfile.open",
        "tarfile.is_tarfile",
        "tarfile.TarFile",
        "tarfile.TarFile.extract",
        "tarfile.TarFile.extractall",
        "tarfile.TarFile.add",
        "tarfile.TarFile.getmembers",
        "tarfile.TarFile.getnames"}},
      {{"", ""},
       {"shutil.get_archive_formats", "shutil.get_unpack_formats", "shutil.register_archive_format",
        "shutil.unregister_archive_format", "shutil.register_unpack_format",
        "shutil.unregister_unpack_format", "shutil.ignore_patterns", "shutil.get_terminal_size",
        "shutil.Error", "shutil.SameFileError"}},
      {{"LS103", "`await asyncio.to_thread(...)` (these read or write whole files)"},
       {"pandas.read_csv",      "pandas.read_excel",
        "pandas.read_json",     "pandas.read_parquet",
        "pandas.read_sql",      "pandas.read_table",
        "pandas.read_pickle",   "pandas.read_feather",
        "pandas.read_hdf",      "numpy.load",
        "numpy.save",           "numpy.savez",
        "numpy.loadtxt",        "numpy.savetxt",
        "numpy.genfromtxt",     "torch.load",
        "torch.save",           "joblib.load",
        "joblib.dump",          "pkgutil.get_data",
        "pkgutil.iter_modules", "pkgutil.walk_packages",
        "inspect.getsource",    "inspect.getsourcelines"}},
      {{"LS103", "`await loop.getaddrinfo()` or `aiodns`"},
       {"dns.resolver.resolve", "dns.resolver.query", "dns.resolver.Resolver.resolve"}},
      {{"LS103", "read the file with `aiofiles`, then `json.loads()` / `pickle.loads()`"},
       {"json.load", "json.dump", "pickle.load", "pickle.dump", "marshal.load", "marshal.dump"}},
      {{"LS103", "build the `ssl.SSLContext` once at startup, or `await asyncio.to_thread(...)`"},
       {"ssl.create_default_context", "ssl.get_server_certificate", "ssl.SSLContext.load_verify_locations",
        "ssl.SSLContext.load_cert_chain", "ssl.SSLContext.load_default_certs",
        "ssl.SSLContext.set_default_verify_paths"}},
      {{"LS103", "`await loop.getaddrinfo()` or `await asyncio.open_connection()`"},
       {"socket.getaddrinfo",       "socket.gethostbyname",
        "socket.gethostbyname_ex",  "socket.gethostbyaddr",
        "socket.getfqdn",           "socket.getnameinfo",
        "socket.create_connection", "socket.socket.connect",
        "socket.socket.connect_ex", "socket.socket.accept",
        "socket.socket.recv",       "socket.socket.recvfrom",
        "socket.socket.recv_into",  "socket.socket.recvfrom_into",
        "socket.socket.recvmsg",    "socket.socket.send",
        "socket.socket.sendall",    "socket.socket.sendto",
        "socket.socket.sendmsg",    "socket.socket.sendfile"}},
      {{"LS103", "`aiosmtplib`"},
       {"smtplib.SMTP", "smtplib.SMTP_SSL", "smtplib.SMTP.connect", "smtplib.SMTP.login",
        "smtplib.SMTP.starttls", "smtplib.SMTP.ehlo", "smtplib.SMTP.helo", "smtplib.SMTP.sendmail",
        "smtplib.SMTP.send_message", "smtplib.SMTP.quit", "smtplib.SMTP.noop"}},
      {{"LS103", "`aioftp`"},
       {"ftplib.FTP", "ftplib.FTP_TLS", "ftplib.FTP.connect", "ftplib.FTP.login", "ftplib.FTP.retrbinary",
        "ftplib.FTP.retrlines", "ftplib.FTP.storbinary", "ftplib.FTP.storlines", "ftplib.FTP.cwd",
        "ftplib.FTP.nlst", "ftplib.FTP.dir", "ftplib.FTP.mlsd", "ftplib.FTP.quit", "ftplib.FTP.delete",
        "ftplib.FTP.rename", "ftplib.FTP.mkd", "ftplib.FTP.rmd", "ftplib.FTP.size", "ftplib.FTP.sendcmd"}},

      // --- LS104: blocking waits ---
      {{"LS104", "`await asyncio.wrap_future(future)`"},
       {"concurrent.futures.Future.result", "concurrent.futures.Future.exception", "concurrent.futures.wait",
        "concurrent.futures.as_completed", "concurrent.futures.Executor.shutdown",
        "concurrent.futures.Executor.map", "multiprocessing.AsyncResult.get",
        "multiprocessing.AsyncResult.wait"}},
      {{"LS104", "`asyncio.Lock`, `asyncio.Event` or `asyncio.Condition`"},
       {"threading.Lock.acquire", "threading.Condition.acquire", "threading.Condition.wait",
        "threading.Condition.wait_for", "threading.Event.wait", "threading.Barrier.wait"}},
      {{"LS104", "`await asyncio.to_thread(...)` around the join"},
       {"threading.Thread.join", "multiprocessing.Process.join", "multiprocessing.Pool.join",
        "multiprocessing.Pool.map", "multiprocessing.Pool.starmap", "multiprocessing.Pool.apply"}},
      {{"LS104", "`asyncio.Queue` (or `janus` between threads and the loop)"},
       {"queue.Queue.get", "queue.Queue.put", "queue.Queue.join", "multiprocessing.Queue.get",
        "multiprocessing.Queue.put"}},
      {{"LS104", "`await asyncio.create_subprocess_exec()` and `await proc.wait()`"},
       {"subprocess.Popen.wait", "subprocess.Popen.communicate"}},

      // --- LS300: nested event loop ---
      {{"LS300", "`await` the coroutine directly", FixKind::None},
       {"asyncio.run", "asyncio.AbstractEventLoop.run_until_complete",
        "asyncio.AbstractEventLoop.run_forever"}},
  };
  return table;
}

using Index = std::unordered_map<std::string_view, const CatalogEntry*>;

const Index& index() {
  static const Index map = [] {
    Index m;
    for (const Group& g : groups())
      for (std::string_view name : g.names) m.emplace(name, &g.entry);
    return m;
  }();
  return map;
}

bool is_module_wildcard(std::string_view prefix) {
  return prefix == "shutil";
}

}  // namespace

const CatalogEntry* find_blocking_call(std::string_view key, bool bound) {
  // flake8-async treats the module `httpx2` like `httpx`; so do its users' noqa comments.
  if (key.starts_with("httpx2.")) return find_blocking_call("httpx." + std::string(key.substr(7)), bound);
  const Index& map = index();
  if (const auto it = map.find(key); it != map.end()) return it->second->code.empty() ? nullptr : it->second;
  const auto dot = key.rfind('.');
  if (dot == std::string_view::npos) return nullptr;
  const std::string_view prefix = key.substr(0, dot);
  const std::string_view member = key.substr(dot + 1);
  // Private members and capitalised factories (boto3's `s3.Bucket(...)`) are not what `.*` rows mean.
  if (member.empty() || member.front() == '_' || (member.front() >= 'A' && member.front() <= 'Z'))
    return nullptr;
  if (!bound && !is_module_wildcard(prefix)) return nullptr;
  std::string wildcard(prefix);
  wildcard += ".*";
  const auto it = map.find(wildcard);
  return it == map.end() ? nullptr : it->second;
}

const std::vector<std::string_view>& all_rule_codes() {
  static const std::vector<std::string_view> codes = {
      "ASYNC200", "ASYNC210", "ASYNC211", "ASYNC212", "ASYNC220", "ASYNC221", "ASYNC222", "ASYNC230",
      "ASYNC231", "ASYNC232", "ASYNC240", "ASYNC250", "ASYNC251", "LS101",    "LS102",    "LS103",
      "LS104",    "LS200",    "LS300",    "LS302",    "LS303",    "LS304"};
  return codes;
}

}  // namespace loopsafe
