#!/usr/bin/env bash
# Installs what the tests need when it is missing, then runs every test.
# Used by developers and by CI (.ci/run calls this script). Needs root for apt-get on a fresh machine.
set -euo pipefail
cd "$(dirname "$0")/.."

need_apt=()
command -v pdftotext >/dev/null || need_apt+=(poppler-utils)
command -v qpdf >/dev/null || need_apt+=(qpdf)
command -v xmllint >/dev/null || need_apt+=(libxml2-utils)
command -v openssl >/dev/null || need_apt+=(openssl)
command -v chromium >/dev/null || need_apt+=(chromium)
command -v chromedriver >/dev/null || need_apt+=(chromium-driver)
command -v zbarimg >/dev/null || need_apt+=(zbar-tools)
command -v pdftoppm >/dev/null || need_apt+=(poppler-utils)
[ -f /usr/share/fonts/truetype/liberation2/LiberationSerif-Regular.ttf ] || need_apt+=(fonts-liberation2)
/usr/bin/python3 -c 'import aiosmtpd' 2>/dev/null || need_apt+=(python3-aiosmtpd)
# Signing (issue #17): pdfsig (poppler-utils), SoftHSM2 as the PKCS#11 token, pkcs11-tool, a venv for pyHanko.
command -v pdfsig >/dev/null || need_apt+=(poppler-utils)
command -v softhsm2-util >/dev/null || need_apt+=(softhsm2)
command -v pkcs11-tool >/dev/null || need_apt+=(opensc)
/usr/bin/python3 -c 'import ensurepip' 2>/dev/null || need_apt+=(python3-venv)

if [ ${#need_apt[@]} -gt 0 ]; then
    echo "== installing: ${need_apt[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends "${need_apt[@]}" >/dev/null
fi

# pyHanko, the independent PAdES validator, in its own venv (its path is given to the tests).
export TAMIM_TEST_VENV="${TAMIM_TEST_VENV:-$PWD/target/venv}"
if [ ! -x "$TAMIM_TEST_VENV/bin/pyhanko" ]; then
    echo "== installing pyHanko into $TAMIM_TEST_VENV"
    /usr/bin/python3 -m venv "$TAMIM_TEST_VENV"
    "$TAMIM_TEST_VENV/bin/pip" install -q pyhanko pyhanko-cli
fi
# openpyxl, the independent reader of the .xlsx files tamim writes (tests/it/excel.rs), in the same venv.
if ! "$TAMIM_TEST_VENV/bin/python" -c 'import openpyxl' 2>/dev/null; then
    echo "== installing openpyxl into $TAMIM_TEST_VENV"
    "$TAMIM_TEST_VENV/bin/pip" install -q openpyxl
fi
# msoffcrypto-tool, to make a password-protected workbook the roster import must refuse (tests/it/roster.rs).
if ! "$TAMIM_TEST_VENV/bin/python" -c 'import msoffcrypto' 2>/dev/null; then
    echo "== installing msoffcrypto-tool into $TAMIM_TEST_VENV"
    "$TAMIM_TEST_VENV/bin/pip" install -q msoffcrypto-tool
fi

echo "== tools"
# (sed reads to the end: `| head -1` under pipefail can kill the script with SIGPIPE)
pdftotext -v 2>&1 | sed -n 1p
qpdf --version | sed -n 1p
/usr/bin/python3 -c 'import aiosmtpd; print("aiosmtpd", aiosmtpd.__version__)'
pdfsig -v 2>&1 | sed -n 1p
softhsm2-util --version
"$TAMIM_TEST_VENV/bin/pyhanko" --version 2>/dev/null || echo "pyhanko: not installed"
"$TAMIM_TEST_VENV/bin/python" -c 'import openpyxl; print("openpyxl", openpyxl.__version__)'
chromium --version 2>/dev/null || echo "chromium: not installed"
chromedriver --version 2>/dev/null || echo "chromedriver: not installed"

echo "== cargo fmt --check"
cargo fmt --all -- --check

echo "== cargo clippy -D warnings"
cargo clippy --workspace --all-targets -- -D warnings 2>&1

echo "== cargo test"
cargo test --workspace --no-fail-fast 2>&1
