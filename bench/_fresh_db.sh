# Sourced by the bench scripts: `fresh_db sqlite|postgres NAME` points DATABASE_URL at an empty,
# migrated database called NAME (a file under bench/results/ for SQLite, a PostgreSQL database on
# 127.0.0.1 with trust auth).
fresh_db() {
  local kind="$1" name="$2"
  case "$kind" in
    sqlite)
      rm -f "bench/results/$name.sqlite3" "bench/results/$name.sqlite3-"*
      export DATABASE_URL="sqlite:///$PWD/bench/results/$name.sqlite3" ;;
    postgres)
      dropdb -h 127.0.0.1 -U postgres --if-exists "$name"
      createdb -h 127.0.0.1 -U postgres "$name"
      export DATABASE_URL="postgres://postgres@127.0.0.1:5432/$name" ;;
    *)
      echo "unknown database kind: $kind (sqlite or postgres)" >&2
      return 2 ;;
  esac
  echo "== $kind: migrate"
  .venv/bin/python manage.py migrate --noinput >/dev/null
}
