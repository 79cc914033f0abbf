#include "analysis/config.h"

#include <doctest/doctest.h>

#include "analysis/glob.h"
#include "analysis/suppression.h"

using namespace loopsafe;

TEST_CASE("selectors: the longest match wins, ignore wins ties") {
  Settings s;
  CHECK(s.enabled("ASYNC251"));
  s.ignore = {"ASYNC"};
  CHECK_FALSE(s.enabled("ASYNC251"));
  s.select = {"ASYNC251"};
  CHECK(s.enabled("ASYNC251"));
  CHECK_FALSE(s.enabled("ASYNC210"));
  CHECK_FALSE(s.enabled("LS101"));
}

TEST_CASE("pyproject settings are read and checked") {
  Settings s;
  const auto error = parse_pyproject(
      "[project]\nrequires-python = \">=3.8\"\n[tool.loopsafe]\nignore = [\"LS303\"]\n"
      "per-file-ignores = { \"tests/*\" = [\"ASYNC251\"] }\nseverity = { ASYNC251 = \"error\" }\n"
      "extend-blocking-calls = { \"mylib.*\" = \"mylib.aio\" }\n",
      s);
  REQUIRE_FALSE(error);
  CHECK(s.min_python == PythonVersion{3, 8});
  CHECK_FALSE(s.enabled("LS303"));
  CHECK(s.ignored_for_path("ASYNC251", "tests/test_api.py"));
  CHECK_FALSE(s.ignored_for_path("ASYNC251", "app/api.py"));
  CHECK(s.severity_of("ASYNC251") == Severity::Error);
  CHECK(s.severity_of("ASYNC210") == Severity::Warning);
  REQUIRE(s.extend_blocking_calls.size() == 1);
}

TEST_CASE("a broken config names the line and the key") {
  Settings s;
  auto error = parse_pyproject("[tool.loopsafe]\nselect = \"ASYNC\"\n", s);
  REQUIRE(error);
  CHECK(error->line == 2);
  CHECK(error->message.find("select") != std::string::npos);
  error = parse_pyproject("[tool.loopsafe]\nbogus = 1\n", s);
  REQUIRE(error);
  CHECK(error->message.find("bogus") != std::string::npos);
  error = parse_pyproject("[tool.loopsafe\n", s);
  REQUIRE(error);
  CHECK(error->line == 1);
  error = parse_pyproject("[tool.loopsafe]\nignore = [\"NOPE1\"]\n", s);
  REQUIRE(error);
}

TEST_CASE("requires-python lower bounds") {
  CHECK(lowest_python(">=3.8,<4") == PythonVersion{3, 8});
  CHECK(lowest_python("~=3.10") == PythonVersion{3, 10});
  CHECK_FALSE(lowest_python("<4").has_value());
}

TEST_CASE("globs match like fnmatch") {
  CHECK(glob_match("mylib.*", "mylib.db.query"));
  CHECK(glob_match("tests/*", "tests/unit/test_x.py"));
  CHECK(glob_match("src/**/gen.py", "src/gen.py"));
  CHECK(glob_match("*.py", "a.py"));
  CHECK(glob_match("[ab]?.py", "b1.py"));
  CHECK_FALSE(glob_match("mylib.*", "mylibx.y"));
  CHECK_FALSE(glob_match("bee.bonnet", "bee"));
}

TEST_CASE("noqa comments in flake8 syntax") {
  auto noqa = parse_noqa("# noqa");
  REQUIRE(noqa);
  CHECK(noqa->all);
  noqa = parse_noqa("# NOQA: ASYNC251,LS101 because legacy");
  REQUIRE(noqa);
  CHECK_FALSE(noqa->all);
  CHECK(noqa->codes == std::vector<std::string>{"ASYNC251", "LS101"});
  noqa = parse_noqa("# type: ignore  # noqa: async230 ASYNC232");
  REQUIRE(noqa);
  CHECK(noqa->codes == std::vector<std::string>{"ASYNC230", "ASYNC232"});
  CHECK_FALSE(parse_noqa("# this is not noqa-related").has_value());
}
