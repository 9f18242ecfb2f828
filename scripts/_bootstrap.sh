# Sourced by scripts/run and scripts/test: a virtualenv in .venv with the project installed.
# Re-installs only when pyproject.toml changed since the last install.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
PYTHON="${PYTHON:-python3}"
EXTRAS="${1:-}"
if [ ! -x .venv/bin/python ]; then
  echo "创建虚拟环境 .venv …"
  "$PYTHON" -m venv .venv
  .venv/bin/python -m pip install --quiet --upgrade pip
fi
stamp=".venv/.installed-$(sha1sum pyproject.toml | cut -c1-12)${EXTRAS:+-$EXTRAS}"
if [ ! -f "$stamp" ]; then
  echo "安装依赖 …"
  .venv/bin/python -m pip install --quiet -e ".${EXTRAS:+[$EXTRAS]}"
  touch "$stamp"
fi
# PDF of printable records (WeasyPrint) needs Pango and a Chinese font from the system.
if ! ldconfig -p 2>/dev/null | grep libpangoft2 >/dev/null || ! fc-list 2>/dev/null | grep -i "Noto Sans CJK" >/dev/null; then  # not grep -q (pipefail)
  echo "安装 PDF 排版库与中文字体（apt）…"
  if [ "$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi
  $SUDO apt-get update -qq || true
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq libpango-1.0-0 libpangoft2-1.0-0 fonts-noto-cjk >/dev/null \
    || echo "未能安装 Pango/中文字体：PDF 下载将不可用，其余功能不受影响。" >&2
fi
export PATH="$ROOT/.venv/bin:$PATH"
