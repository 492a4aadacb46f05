#!/bin/sh
# Writes the README's presenter-mode screenshots (issue #14): every main panel of mailsim-gui in Chinese, presenter
# mode, 1280x720 (a classroom projector), into docs/images/gui-presenter-zh-*.png. Run after a build:
#   scripts/gui-docs-images.sh [BUILD_DIR]        (default: build)
# Needs xvfb-run (scripts/install-deps.sh installs it). Look at every image before committing it.
set -eu
cd "$(dirname "$0")/.."
build=${1:-build}
gui="$build/gui/mailsim-gui"
out=docs/images
shot() {  # NAME SCENARIO ARGS...
  name=$1; scenario=$2; shift 2
  ASAN_OPTIONS=detect_leaks=0 xvfb-run -a "$gui" "scenarios/$scenario" --presenter --lang zh --size 1280x720 \
    --frames 6 --screenshot "$out/gui-presenter-zh-$name.png" "$@"
  echo "$out/gui-presenter-zh-$name.png"
}
shot sequence smtp-textbook.yaml --show sequence --step 15
shot transcript smtp-textbook.yaml --show transcript --step 14
shot time-axis relay-receiver-down-retry.yaml --show sequence --time-axis --step 63
shot network relay-two-domains.yaml --show network --step 59
shot network-down relay-receiver-down-retry.yaml --show network --step 44
shot state pop3-delete-vs-keep.yaml --show state --step 195
shot inspector smtp-starttls.yaml --show inspector --step 32
shot mailboxes mime-attachment-chinese-subject.yaml --show mailboxes --cursor end
shot lesson smtp-textbook.yaml --show lesson --step 5
shot predict smtp-textbook.yaml --predict --step 9 --predict-answer 550
shot sandbox smtp-textbook.yaml --sandbox mail.cesoo.com:25 --sandbox-send 'HELO student' \
  --sandbox-send 'MAIL FROM:<mike@cesoo.com>' --show state
