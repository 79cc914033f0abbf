#include "analysis/catalog/types.h"

#include <unordered_map>

namespace loopsafe {
namespace {

using Table = std::unordered_map<std::string, std::string>;

// Calling (or annotating with) a qualified name gives an object of this type.
const Table& call_types() {
  static const Table table = {
      // HTTP
      {"requests.Session", "requests.Session"},
      {"requests.session", "requests.Session"},
      {"requests.sessions.Session", "requests.Session"},
      {"httpx.Client", "httpx.Client"},
      {"httpx2.Client", "httpx.Client"},  // flake8-async knows httpx as httpx2 too
      {"urllib3.PoolManager", "urllib3.PoolManager"},
      {"urllib3.ProxyManager", "urllib3.PoolManager"},
      {"urllib3.poolmanager.PoolManager", "urllib3.PoolManager"},
      {"urllib3.proxy_from_url", "urllib3.PoolManager"},
      {"urllib3.HTTPConnectionPool", "urllib3.HTTPConnectionPool"},
      {"urllib3.HTTPSConnectionPool", "urllib3.HTTPConnectionPool"},
      {"urllib3.connectionpool.HTTPConnectionPool", "urllib3.HTTPConnectionPool"},
      {"urllib3.connection_from_url", "urllib3.HTTPConnectionPool"},
      {"urllib3.connectionpool.ConnectionPool", "urllib3.HTTPConnectionPool"},
      {"urllib3.connectionpool.HTTPSConnectionPool", "urllib3.HTTPConnectionPool"},
      {"urllib3.poolmanager.ProxyManager", "urllib3.PoolManager"},
      {"urllib3.request.RequestMethods", "urllib3.PoolManager"},
      {"urllib3._request_methods.RequestMethods", "urllib3.PoolManager"},
      {"http.client.HTTPConnection", "http.client.HTTPConnection"},
      {"http.client.HTTPSConnection", "http.client.HTTPConnection"},
      // Files and paths
      {"pathlib.Path", "pathlib.Path"},
      {"pathlib.Path.home", "pathlib.Path"},
      {"pathlib.Path.cwd", "pathlib.Path"},
      // Traversable: the same blocking read_text/open/iterdir as a Path.
      {"importlib.resources.files", "pathlib.Path"},
      {"importlib_resources.files", "pathlib.Path"},
      {"pathlib.PosixPath", "pathlib.Path"},
      {"pathlib.WindowsPath", "pathlib.Path"},
      {"open", "io.File"},
      {"io.open", "io.File"},
      {"io.open_code", "io.File"},
      {"codecs.open", "io.File"},
      {"os.fdopen", "io.File"},
      {"gzip.open", "io.File"},
      {"bz2.open", "io.File"},
      {"lzma.open", "io.File"},
      {"tokenize.open", "io.File"},
      {"io.TextIOWrapper", "io.File"},
      {"io.BufferedReader", "io.File"},
      {"io.BufferedWriter", "io.File"},
      {"io.BufferedRandom", "io.File"},
      {"io.FileIO", "io.File"},
      {"typing.TextIO", "io.File"},
      {"typing.BinaryIO", "io.File"},
      {"typing.IO", "io.File"},
      {"tempfile.TemporaryFile", "io.File"},
      {"tempfile.NamedTemporaryFile", "io.File"},
      {"tempfile.SpooledTemporaryFile", "io.File"},
      {"tempfile.TemporaryDirectory", "tempfile.TemporaryDirectory"},
      {"zipfile.ZipFile", "zipfile.ZipFile"},
      {"tarfile.open", "tarfile.TarFile"},
      {"tarfile.TarFile", "tarfile.TarFile"},
      // Databases
      {"sqlite3.connect", "sqlite3.Connection"},
      {"sqlite3.Connection", "sqlite3.Connection"},
      {"sqlite3.Cursor", "sqlite3.Cursor"},
      {"psycopg2.connect", "psycopg2.connection"},
      {"psycopg2.extensions.connection", "psycopg2.connection"},
      {"psycopg2.extensions.cursor", "psycopg2.cursor"},
      {"psycopg2.pool.SimpleConnectionPool", "psycopg2.pool"},
      {"psycopg2.pool.ThreadedConnectionPool", "psycopg2.pool"},
      {"psycopg.connect", "psycopg.Connection"},
      {"psycopg.Connection", "psycopg.Connection"},
      {"psycopg.Connection.connect", "psycopg.Connection"},
      {"psycopg.Cursor", "psycopg.Cursor"},
      {"psycopg_pool.ConnectionPool", "psycopg_pool.ConnectionPool"},
      {"pymysql.connect", "pymysql.Connection"},
      {"pymysql.Connect", "pymysql.Connection"},
      {"pymysql.connections.Connection", "pymysql.Connection"},
      {"pymysql.Connection", "pymysql.Connection"},
      {"MySQLdb.connect", "MySQLdb.Connection"},
      {"MySQLdb.Connect", "MySQLdb.Connection"},
      {"MySQLdb.Connection", "MySQLdb.Connection"},
      {"pymongo.MongoClient", "pymongo.MongoClient"},
      {"pymongo.mongo_client.MongoClient", "pymongo.MongoClient"},
      {"pymongo.database.Database", "pymongo.Database"},
      {"pymongo.collection.Collection", "pymongo.Collection"},
      {"sqlalchemy.create_engine", "sqlalchemy.Engine"},
      {"sqlalchemy.engine.create_engine", "sqlalchemy.Engine"},
      {"sqlalchemy.Engine", "sqlalchemy.Engine"},
      {"sqlalchemy.engine.Engine", "sqlalchemy.Engine"},
      {"sqlalchemy.Connection", "sqlalchemy.Connection"},
      {"sqlalchemy.engine.Connection", "sqlalchemy.Connection"},
      {"sqlalchemy.orm.Session", "sqlalchemy.orm.Session"},
      {"sqlalchemy.orm.session.Session", "sqlalchemy.orm.Session"},
      {"sqlalchemy.orm.scoped_session", "sqlalchemy.orm.Session"},
      {"sqlmodel.Session", "sqlalchemy.orm.Session"},
      {"sqlalchemy.orm.sessionmaker", "sqlalchemy.orm.sessionmaker"},
      // Caches, queues, cloud
      {"redis.Redis", "redis.Redis"},
      {"redis.StrictRedis", "redis.Redis"},
      {"redis.client.Redis", "redis.Redis"},
      {"redis.from_url", "redis.Redis"},
      {"redis.Redis.from_url", "redis.Redis"},
      {"redis.client.StrictRedis", "redis.Redis"},
      {"redis.RedisCluster", "redis.Redis"},
      {"redis.cluster.RedisCluster", "redis.Redis"},
      {"elasticsearch.Elasticsearch", "elasticsearch.Elasticsearch"},
      {"boto3.client", "boto3.Client"},
      {"boto3.resource", "boto3.Resource"},
      {"boto3.Session", "boto3.Session"},
      {"boto3.session.Session", "boto3.Session"},
      {"botocore.client.BaseClient", "boto3.Client"},
      {"kafka.KafkaConsumer", "kafka.KafkaConsumer"},
      {"kafka.KafkaProducer", "kafka.KafkaProducer"},
      {"pika.BlockingConnection", "pika.BlockingConnection"},
      {"pika.adapters.blocking_connection.BlockingChannel", "pika.BlockingChannel"},
      {"celery.result.AsyncResult", "celery.AsyncResult"},
      {"celery.Celery", "celery.Celery"},
      // Concurrency
      {"concurrent.futures.ThreadPoolExecutor", "concurrent.futures.Executor"},
      {"concurrent.futures.ProcessPoolExecutor", "concurrent.futures.Executor"},
      {"concurrent.futures.Executor", "concurrent.futures.Executor"},
      {"concurrent.futures.Future", "concurrent.futures.Future"},
      {"threading.Lock", "threading.Lock"},
      {"threading.RLock", "threading.Lock"},
      {"threading.Semaphore", "threading.Lock"},
      {"threading.BoundedSemaphore", "threading.Lock"},
      {"threading.Condition", "threading.Condition"},
      {"threading.Event", "threading.Event"},
      {"threading.Thread", "threading.Thread"},
      {"threading.Barrier", "threading.Barrier"},
      {"queue.Queue", "queue.Queue"},
      {"queue.LifoQueue", "queue.Queue"},
      {"queue.PriorityQueue", "queue.Queue"},
      {"queue.SimpleQueue", "queue.Queue"},
      {"multiprocessing.Process", "multiprocessing.Process"},
      {"multiprocessing.Pool", "multiprocessing.Pool"},
      {"multiprocessing.pool.Pool", "multiprocessing.Pool"},
      {"multiprocessing.pool.ThreadPool", "multiprocessing.Pool"},
      {"multiprocessing.Queue", "multiprocessing.Queue"},
      {"multiprocessing.JoinableQueue", "multiprocessing.Queue"},
      {"subprocess.Popen", "subprocess.Popen"},
      // Network
      {"ssl.create_default_context", "ssl.SSLContext"},
      {"ssl.SSLContext", "ssl.SSLContext"},
      {"socket.socket", "socket.socket"},
      {"socket.create_connection", "socket.socket"},
      {"smtplib.SMTP", "smtplib.SMTP"},
      {"smtplib.SMTP_SSL", "smtplib.SMTP"},
      {"ftplib.FTP", "ftplib.FTP"},
      {"ftplib.FTP_TLS", "ftplib.FTP"},
      // asyncio and web frameworks
      {"asyncio.get_event_loop", "asyncio.AbstractEventLoop"},
      {"asyncio.get_running_loop", "asyncio.AbstractEventLoop"},
      {"asyncio.new_event_loop", "asyncio.AbstractEventLoop"},
      {"asyncio.Queue", "asyncio.Queue"},
      {"asyncio.LifoQueue", "asyncio.Queue"},
      {"asyncio.PriorityQueue", "asyncio.Queue"},
      {"asyncio.Lock", "asyncio.Lock"},
      {"asyncio.Semaphore", "asyncio.Lock"},
      {"asyncio.BoundedSemaphore", "asyncio.Lock"},
      {"asyncio.Event", "asyncio.Event"},
      {"asyncio.Condition", "asyncio.Condition"},
      {"asyncio.AbstractEventLoop", "asyncio.AbstractEventLoop"},
      {"openai.OpenAI", "openai.Client"},
      {"openai.AzureOpenAI", "openai.Client"},
      {"anthropic.Anthropic", "openai.Client"},
      {"anthropic.AnthropicBedrock", "openai.Client"},
      {"paramiko.SSHClient", "paramiko.SSHClient"},
      {"paramiko.client.SSHClient", "paramiko.SSHClient"},
      {"dns.resolver.Resolver", "dns.resolver.Resolver"},
      {"fastapi.FastAPI", "web.App"},
      {"fastapi.APIRouter", "web.App"},
      {"starlette.applications.Starlette", "web.App"},
      {"starlette.routing.Router", "web.App"},
      {"fastapi.routing.APIRouter", "web.App"},
  };
  return table;
}

// "type.method" -> the type it returns; "type.*" for any method not listed.
const Table& method_types() {
  static const Table table = {
      {"pathlib.Path.resolve", "pathlib.Path"},
      {"pathlib.Path.absolute", "pathlib.Path"},
      {"pathlib.Path.with_suffix", "pathlib.Path"},
      {"pathlib.Path.with_name", "pathlib.Path"},
      {"pathlib.Path.with_stem", "pathlib.Path"},
      {"pathlib.Path.joinpath", "pathlib.Path"},
      {"pathlib.Path.expanduser", "pathlib.Path"},
      {"pathlib.Path.relative_to", "pathlib.Path"},
      {"pathlib.Path.home", "pathlib.Path"},
      {"pathlib.Path.cwd", "pathlib.Path"},
      {"pathlib.Path.readlink", "pathlib.Path"},
      {"pathlib.Path.rename", "pathlib.Path"},
      {"pathlib.Path.replace", "pathlib.Path"},
      {"pathlib.Path.iterdir", "Iterator[pathlib.Path]"},
      {"pathlib.Path.glob", "Iterator[pathlib.Path]"},
      {"pathlib.Path.rglob", "Iterator[pathlib.Path]"},
      {"pathlib.Path.open", "io.File"},
      {"sqlite3.Connection.cursor", "sqlite3.Cursor"},
      {"sqlite3.Connection.execute", "sqlite3.Cursor"},
      {"sqlite3.Cursor.execute", "sqlite3.Cursor"},
      {"psycopg2.connection.cursor", "psycopg2.cursor"},
      {"psycopg2.pool.getconn", "psycopg2.connection"},
      {"psycopg.Connection.cursor", "psycopg.Cursor"},
      {"psycopg.Connection.execute", "psycopg.Cursor"},
      {"psycopg_pool.ConnectionPool.connection", "psycopg.Connection"},
      {"pymysql.Connection.cursor", "pymysql.Cursor"},
      {"MySQLdb.Connection.cursor", "MySQLdb.Cursor"},
      {"pymongo.MongoClient.get_database", "pymongo.Database"},
      {"pymongo.MongoClient.get_default_database", "pymongo.Database"},
      {"pymongo.Database.get_collection", "pymongo.Collection"},
      {"sqlalchemy.Engine.connect", "sqlalchemy.Connection"},
      {"sqlalchemy.Engine.begin", "sqlalchemy.Connection"},
      {"sqlalchemy.orm.sessionmaker.__call__", "sqlalchemy.orm.Session"},
      {"sqlalchemy.orm.sessionmaker.begin", "sqlalchemy.orm.Session"},
      {"sqlalchemy.orm.Session.__call__", "sqlalchemy.orm.Session"},
      {"redis.Redis.pipeline", "redis.Pipeline"},
      {"redis.Redis.pubsub", "redis.PubSub"},
      {"redis.Redis.lock", "redis.Lock"},
      {"boto3.Session.client", "boto3.Client"},
      {"boto3.Session.resource", "boto3.Resource"},
      {"boto3.Resource.*", "boto3.ResourceObject"},
      {"pika.BlockingConnection.channel", "pika.BlockingChannel"},
      {"celery.Celery.AsyncResult", "celery.AsyncResult"},
      {"concurrent.futures.Executor.submit", "concurrent.futures.Future"},
      {"multiprocessing.Pool.apply_async", "multiprocessing.AsyncResult"},
      {"multiprocessing.Pool.map_async", "multiprocessing.AsyncResult"},
      {"zipfile.ZipFile.open", "io.File"},
      {"tarfile.TarFile.extractfile", "io.File"},
      {"socket.socket.makefile", "io.File"},
  };
  return table;
}

const Table& attribute_types() {
  static const Table table = {
      {"pathlib.Path.parent", "pathlib.Path"},
      {"pymongo.MongoClient.*", "pymongo.Database"},
      {"pymongo.Database.*", "pymongo.Collection"},
      {"pymongo.Collection.*", "pymongo.Collection"},  // sub-collections: db.users.archive
      {"elasticsearch.Elasticsearch.*", "elasticsearch.Namespace"},
      // SDK clients group their API calls under resources: client.chat.completions.create(...).
      {"openai.Client.*", "openai.Resource"},
      {"openai.Resource.*", "openai.Resource"},
  };
  return table;
}

const Table& entered_types() {
  static const Table table = {
      {"tempfile.TemporaryDirectory", "str"},
  };
  return table;
}

const std::string* find(const Table& table, const std::string& key) {
  const auto it = table.find(key);
  return it == table.end() ? nullptr : &it->second;
}

std::string member_key(std::string_view type, std::string_view member) {
  std::string key(type);
  key += '.';
  key += member;
  return key;
}

}  // namespace

const std::string* type_from_call(std::string_view qualified) {
  return find(call_types(), std::string(qualified));
}

const std::string* type_from_method(std::string_view type, std::string_view method) {
  if (const std::string* t = find(method_types(), member_key(type, method))) return t;
  if (method.starts_with("_")) return nullptr;
  return find(method_types(), member_key(type, "*"));
}

const std::string* type_from_attribute(std::string_view type, std::string_view attribute) {
  if (const std::string* t = find(attribute_types(), member_key(type, attribute))) return t;
  if (attribute.starts_with("_")) return nullptr;
  return find(attribute_types(), member_key(type, "*"));
}

const std::string* type_entered(std::string_view type) {
  return find(entered_types(), std::string(type));
}

std::string element_type(std::string_view type) {
  constexpr std::string_view prefix = "Iterator[";
  if (!type.starts_with(prefix) || !type.ends_with("]")) return {};
  return std::string(type.substr(prefix.size(), type.size() - prefix.size() - 1));
}

}  // namespace loopsafe
