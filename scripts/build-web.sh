#!/usr/bin/env bash
# The browser build (issue #15): the same engine, simulated world, scenario loader, TLS over memory BIOs and ImGui
# front-end, compiled to WebAssembly with Debian 12's emscripten into a static site in build-web/site/.
#
#   scripts/build-web.sh            install what is missing, build the dependencies once, build the site
#   scripts/build-web.sh --serve    the same, then serve build-web/site on http://127.0.0.1:8000/ (PORT=... to change)
#   scripts/build-web.sh --deps     only the dependencies (CI warms its cache with this)
#
# Dependencies come from Debian *source* packages (imgui 1.86, yaml-cpp, md4c, fmt, OpenSSL 3.0, libidn2), fetched with
# `apt-get source` through a PRIVATE sources list under build-web/deps/apt (the machine's apt configuration is not
# touched), built with emcc into build-web/deps/prefix, and reused by later runs (a stamp per package). Nothing
# third-party is committed. Set MAILSIM_WEB_DIR to build elsewhere, MAILSIM_WEB_DEPS_DIR to share the built
# dependencies between build trees, MAILSIM_SKIP_INSTALL=1 to skip apt.
set -euo pipefail
shopt -s inherit_errexit
cd "$(dirname "$0")/.."
ROOT=$PWD
WEB=${MAILSIM_WEB_DIR:-$ROOT/build-web}
DEPS=${MAILSIM_WEB_DEPS_DIR:-$WEB/deps}
PREFIX=$DEPS/prefix
JOBS=${JOBS:-2}
SERVE=0
DEPS_ONLY=0
for a in "$@"; do
  case "$a" in
    --serve) SERVE=1 ;;
    --deps) DEPS_ONLY=1 ;;
    -h|--help) sed -n '2,14p' "$0"; exit 0 ;;
    *) echo "build-web: unknown option '$a' (expected --serve, --deps or --help)" >&2; exit 2 ;;
  esac
done

# emcc 3.1.6 runs its JS tools with the node on PATH, which does not look in Debian's module folder (acorn, terser).
export NODE_PATH=/usr/share/nodejs
log() { echo "build-web: $*" >&2; }

# --- 1. Debian packages ------------------------------------------------------------------------------------------
install_packages() {
  local packages=(emscripten cmake make dpkg-dev python3 python3-fonttools fonts-wqy-microhei xz-utils)
  if [[ "${MAILSIM_SKIP_INSTALL:-0}" == 1 ]]; then return; fi
  local missing=()
  for p in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  [[ ${#missing[@]} -eq 0 ]] && return
  local sudo=""
  [[ $(id -u) -ne 0 ]] && sudo=sudo
  log "installing ${missing[*]}"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
}

# --- 2. source packages through a private sources list -------------------------------------------------------------
# The mirror and suite are the first ones /etc/apt/sources.list.d/debian.sources names (deb822), else bookworm.
apt_private() {
  local dir=$DEPS/apt
  mkdir -p "$dir/lists/partial" "$dir/cache/archives/partial"
  if [[ ! -s $dir/sources.list ]]; then
    local uri="http://deb.debian.org/debian" suite="bookworm" f=/etc/apt/sources.list.d/debian.sources
    if [[ -r $f ]]; then
      uri=$(awk '/^URIs:/ {print $2; exit}' "$f")
      suite=$(awk '/^Suites:/ {print $2; exit}' "$f")
    fi
    echo "deb-src $uri $suite main" > "$dir/sources.list"
  fi
  APT_OPTS=(-o "Dir::Etc::sourcelist=$dir/sources.list" -o Dir::Etc::sourceparts=/dev/null
            -o "Dir::State::Lists=$dir/lists" -o "Dir::Cache=$dir/cache" -o Dir::Cache::pkgcache=
            -o Dir::Cache::srcpkgcache=)
  if [[ ! -e $dir/lists/.updated ]]; then
    log "apt-get update (private list: $(cat "$dir/sources.list"))"
    apt-get "${APT_OPTS[@]}" update -qq
    touch "$dir/lists/.updated"
  fi
}

# fetch NAME: downloads and unpacks the source package into $DEPS/src/NAME (once); prints the directory.
# When the mirror lacks the Debian packaging tarball (seen: a 404 for md4c's .debian.tar.xz), the upstream tarball
# (.orig.tar.*) that apt did fetch is unpacked instead: the build needs only the upstream sources.
fetch() {
  local name=$1 dest=$DEPS/src/$1
  if [[ ! -e $dest/.unpacked ]]; then
    apt_private
    rm -rf "$dest" "$DEPS/dl/$name"
    mkdir -p "$DEPS/dl/$name"
    if (cd "$DEPS/dl/$name" && apt-get "${APT_OPTS[@]}" source --download-only -qq "$name" >&2 2>&1) &&
       dpkg-source --no-check -x "$DEPS/dl/$name"/*.dsc "$dest" >&2; then
      :
    else
      local orig
      orig=$(ls "$DEPS/dl/$name"/*.orig.tar.* 2>/dev/null | head -1)
      if [[ -z $orig ]]; then
        echo "build-web: cannot fetch the source package $name (see the apt messages above)" >&2
        exit 1
      fi
      log "$name: the Debian packaging was not fetched; unpacking the upstream tarball $(basename "$orig")"
      rm -rf "$dest"; mkdir -p "$dest"
      tar -xf "$orig" -C "$dest" --strip-components=1
    fi
    touch "$dest/.unpacked"
  fi
  echo "$dest"
}

EMFLAGS=(-O2 -fexceptions)

build_imgui() {
  [[ -e $PREFIX/.imgui ]] && return
  local src; src=$(fetch imgui)
  log "building imgui ($(basename "$(ls -d "$DEPS"/dl/imgui/*.dsc)" .dsc))"
  local obj=$DEPS/obj/imgui
  rm -rf "$obj"; mkdir -p "$obj" "$PREFIX/include/imgui/backends" "$PREFIX/lib"
  local f
  for f in imgui imgui_draw imgui_tables imgui_widgets backends/imgui_impl_glfw backends/imgui_impl_opengl3; do
    # IMGUI_IMPL_OPENGL_ES3: WebGL 2 (the backend would pick ES2 / WebGL 1 on emscripten by itself).
    em++ "${EMFLAGS[@]}" -DIMGUI_IMPL_OPENGL_ES3 -I"$src" -c "$src/$f.cpp" -o "$obj/$(basename "$f").o"
  done
  emar rcs "$PREFIX/lib/libimgui.a" "$obj"/*.o
  cp "$src"/*.h "$PREFIX/include/imgui/"
  cp "$src"/backends/imgui_impl_glfw.h "$src"/backends/imgui_impl_opengl3*.h "$PREFIX/include/imgui/backends/"
  touch "$PREFIX/.imgui"
}

build_md4c() {
  [[ -e $PREFIX/.md4c ]] && return
  local src; src=$(fetch md4c)
  log "building md4c"
  mkdir -p "$DEPS/obj/md4c" "$PREFIX/include" "$PREFIX/lib"
  emcc -O2 -c "$src/src/md4c.c" -o "$DEPS/obj/md4c/md4c.o"
  emar rcs "$PREFIX/lib/libmd4c.a" "$DEPS/obj/md4c/md4c.o"
  cp "$src/src/md4c.h" "$PREFIX/include/"
  touch "$PREFIX/.md4c"
}

build_fmt() {
  [[ -e $PREFIX/.fmt ]] && return
  local src; src=$(fetch fmtlib)
  log "building fmt"
  mkdir -p "$DEPS/obj/fmt" "$PREFIX/include" "$PREFIX/lib"
  em++ "${EMFLAGS[@]}" -std=c++20 -I"$src/include" -c "$src/src/format.cc" -o "$DEPS/obj/fmt/format.o"
  emar rcs "$PREFIX/lib/libfmt.a" "$DEPS/obj/fmt/format.o"
  rm -rf "$PREFIX/include/fmt"; cp -r "$src/include/fmt" "$PREFIX/include/"
  touch "$PREFIX/.fmt"
}

build_yaml_cpp() {
  [[ -e $PREFIX/.yaml-cpp ]] && return
  local src; src=$(fetch yaml-cpp)
  log "building yaml-cpp"
  mkdir -p "$DEPS/obj/yaml-cpp" "$PREFIX/include" "$PREFIX/lib"
  local f objs=()
  for f in "$src"/src/*.cpp; do
    em++ "${EMFLAGS[@]}" -std=c++17 -I"$src/include" -I"$src/src" -c "$f" -o "$DEPS/obj/yaml-cpp/$(basename "$f" .cpp).o"
    objs+=("$DEPS/obj/yaml-cpp/$(basename "$f" .cpp).o")
  done
  emar rcs "$PREFIX/lib/libyaml-cpp.a" "${objs[@]}"
  rm -rf "$PREFIX/include/yaml-cpp"; cp -r "$src/include/yaml-cpp" "$PREFIX/include/"
  touch "$PREFIX/.yaml-cpp"
}

# OpenSSL 3.0 as a 32-bit generic target without assembly, threads, engines or a shared library (TLS runs over memory
# BIOs inside the simulation; no socket is ever opened in the page).
build_openssl() {
  [[ -e $PREFIX/.openssl ]] && return
  local src; src=$(fetch openssl)
  log "building openssl (a few minutes)"
  (
    cd "$src"
    emconfigure ./Configure linux-generic32 no-asm no-threads no-shared no-dso no-engine no-afalgeng no-ui-console \
      no-tests --prefix="$PREFIX" --openssldir=/ssl CC=emcc AR=emar RANLIB=emranlib >/dev/null
    sed -i 's/^CROSS_COMPILE=.*/CROSS_COMPILE=/' Makefile
    emmake make -j"$JOBS" build_libs >/dev/null
    emmake make install_dev >/dev/null
  )
  touch "$PREFIX/.openssl"
}

# libidn2 (IDNA2008 A-label <-> U-label, engine/util/Idna) as a static library, with its bundled subset of
# libunistring and without iconv, NLS or the idn2 tool.
build_libidn2() {
  [[ -e $PREFIX/.libidn2 ]] && return
  local src; src=$(fetch libidn2)
  log "building libidn2"
  (
    cd "$src"
    emconfigure ./configure --host=wasm32-unknown-emscripten --prefix="$PREFIX" --disable-shared --enable-static \
      --disable-doc --disable-nls --disable-valgrind-tests --with-included-libunistring --without-libiconv-prefix \
      CFLAGS=-O2 >/dev/null
    for d in unistring gl lib; do emmake make -j"$JOBS" -C "$d" >/dev/null; done
    emmake make -C lib install >/dev/null
  )
  touch "$PREFIX/.libidn2"
}

build_deps() {
  local start=$SECONDS
  build_md4c
  build_fmt
  build_imgui
  build_yaml_cpp
  build_openssl
  build_libidn2
  log "dependencies ready in $PREFIX ($((SECONDS - start)) s)"
}

# --- 3. the CJK font subset --------------------------------------------------------------------------------------
# WenQuanYi Micro Hei (both faces of the .ttc: UI and mono) cut down to the characters the UI strings, the
# catalogues, the lessons and the scenarios use, plus GB2312 level 1 (the 3755 most common hanzi).
build_font() {
  local out=$WEB/font/wqy-microhei.ttc
  local inputs=("$ROOT/web/subset_font.py" "$ROOT"/gui/*.cpp "$ROOT"/gui/panels/*.cpp)
  if [[ -e $out ]] && [[ -z $(find "${inputs[@]}" "$ROOT/engine" "$ROOT/sim" "$ROOT/lessons" "$ROOT/scenarios" \
                              -newer "$out" -type f -print -quit) ]]; then return; fi
  log "subsetting the CJK font"
  mkdir -p "$WEB/font"
  /usr/bin/python3 "$ROOT/web/subset_font.py" /usr/share/fonts/truetype/wqy/wqy-microhei.ttc "$out" \
    "$ROOT/gui" "$ROOT/engine" "$ROOT/sim" "$ROOT/lessons" "$ROOT/scenarios"
}

# --- 4. the project ------------------------------------------------------------------------------------------------
build_site() {
  local cmake_dir=$WEB/cmake
  # ccache, when installed, makes a second build of the same tree (CI's next run) mostly cache hits, as in test.sh.
  local launcher=()
  if command -v ccache >/dev/null 2>&1; then launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache); fi
  log "configuring the wasm build in $cmake_dir"
  emcmake cmake -S "$ROOT" -B "$cmake_dir" -DCMAKE_BUILD_TYPE=Release -DMAILSIM_WEB_DEPS="$PREFIX" \
    -DMAILSIM_WEB_FONT="$WEB/font/wqy-microhei.ttc" -DMAILSIM_WEB_SITE="$WEB/site" -DMAILSIM_BUILD_TESTS=OFF \
    "${launcher[@]}" >/dev/null
  cmake --build "$cmake_dir" -j"$JOBS" --target mailsim-web-site
  log "site written to $WEB/site ($(du -sh "$WEB/site" | cut -f1))"
}

install_packages
build_deps
[[ $DEPS_ONLY == 1 ]] && exit 0
build_font
build_site

if [[ $SERVE == 1 ]]; then
  port=${PORT:-8000}
  log "serving $WEB/site on http://127.0.0.1:$port/ (Ctrl-C stops)"
  exec python3 -m http.server "$port" --bind 127.0.0.1 --directory "$WEB/site"
fi
