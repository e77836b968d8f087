# Shell functions shared by bin/setup and bin/install-service: find which Debian /
# Ubuntu packages KIS needs and install them. Sourced, never run.
#
# Every check looks for the capability (a library, a command, a font), not for a
# package name, so a machine that has it some other way is not asked to install it.
# No check pipes into `grep -q`: under `set -o pipefail` the writer of a pipe dies of
# SIGPIPE when grep stops reading early, and the check would fail on a machine that
# has what it looks for (fc-list with ~150 fonts did exactly that).
#
# Environment:
#   KIS_NO_SYSTEM_PACKAGES=1  never install: say what is missing and stop
#   KIS_SETUP_DRY_RUN=1       print the commands that would install, run none

# Prints the OS family from /etc/os-release (debian, ubuntu, ...), or "unknown".
kis_os_id() {
    local id=unknown
    if [ -r /etc/os-release ]; then
        id=$(. /etc/os-release && echo "${ID:-unknown}")
    fi
    echo "$id"
}

# The Chromium that the browser tests drive: KIS_CHROMIUM, else the first found.
kis_chromium_path() {
    if [ -n "${KIS_CHROMIUM:-}" ]; then
        echo "$KIS_CHROMIUM"
        return
    fi
    local candidate
    for candidate in /usr/bin/chromium /usr/bin/chromium-browser /snap/bin/chromium; do
        if [ -x "$candidate" ]; then
            echo "$candidate"
            return
        fi
    done
    echo /usr/bin/chromium
}

kis_has_dejavu() {
    command -v fc-list >/dev/null || return 1
    # grep reads all of fc-list's output (no -q): see the note at the top.
    fc-list : family | grep -i dejavu >/dev/null
}

# Appends to the array named missing the packages the application needs to run.
kis_check_runtime_packages() {
    local python=$1
    "$python" - <<'PY' || missing+=(libpango-1.0-0 libpangoft2-1.0-0)
import ctypes.util, sys
sys.exit(0 if ctypes.util.find_library("pango-1.0") and ctypes.util.find_library("pangoft2-1.0") else 1)
PY
    command -v msgfmt >/dev/null || missing+=(gettext)
    kis_has_dejavu || missing+=(fontconfig fonts-dejavu-core)
    "$python" -c 'import ensurepip, venv' 2>/dev/null || missing+=(python3-venv)
}

# The browser tests: Chromium (Debian's package; Ubuntu's is chromium-browser) and npm
# (for axe-core).
kis_check_dev_packages() {
    if [ ! -x "$(kis_chromium_path)" ]; then
        if [ "$(kis_os_id)" = ubuntu ]; then
            missing+=(chromium-browser)
        else
            missing+=(chromium)
        fi
    fi
    command -v npm >/dev/null || missing+=(npm)
}

# Serving it in production (bin/install-service): the web server, the backups' client,
# unit checks, a self-signed certificate to start with; the PostgreSQL server itself
# when KIS_LOCAL_DATABASE=1 and none is installed.
kis_check_server_packages() {
    command -v nginx >/dev/null || missing+=(nginx)
    command -v pg_dump >/dev/null || missing+=(postgresql-client)
    command -v systemd-analyze >/dev/null || missing+=(systemd)
    command -v make-ssl-cert >/dev/null || missing+=(ssl-cert)
    if [ "${KIS_LOCAL_DATABASE:-}" = 1 ] && ! { command -v pg_lsclusters >/dev/null && [ -n "$(pg_lsclusters -h 2>/dev/null)" ]; }; then
        missing+=(postgresql)
    fi
}

# Prints (dry run) or runs a command.
kis_run() {
    if [ "${KIS_SETUP_DRY_RUN:-}" = 1 ]; then
        echo "would run: $*"
    else
        "$@"
    fi
}

# kis_install_packages WHY PACKAGE...: installs with apt-get as root, with sudo apt-get
# otherwise (after saying what and why), or stops when KIS_NO_SYSTEM_PACKAGES=1.
kis_install_packages() {
    local why=$1
    shift
    [ $# -gt 0 ] || return 0
    if [ "${KIS_NO_SYSTEM_PACKAGES:-}" = 1 ]; then
        echo "Missing system packages: $*" >&2
        echo "Install them with:  sudo apt-get install -y $*" >&2
        return 1
    fi
    if ! command -v apt-get >/dev/null; then
        echo "Missing system packages (Debian names): $*" >&2
        echo "This is not a Debian or Ubuntu system: install their equivalents, then run again." >&2
        return 1
    fi
    local sudo=()
    if [ "$(id -u)" != 0 ]; then
        if ! command -v sudo >/dev/null; then
            echo "Missing system packages: $*; run as root:  apt-get install -y $*" >&2
            return 1
        fi
        sudo=(sudo)
        echo "Installing system packages $* ($why) with sudo apt-get; sudo may ask for your password." >&2
    else
        echo "Installing system packages $* ($why) with apt-get." >&2
    fi
    kis_run "${sudo[@]}" apt-get update -qq
    kis_run "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@"
}
