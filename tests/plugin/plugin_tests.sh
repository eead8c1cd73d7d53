#!/bin/bash
# Tests of the expressroute Wireshark plugin through tshark, run by ctest.
#
#   plugin_tests.sh load                 the plugin loads; fields, experts, prefs, -z
#   plugin_tests.sh disabled CAPTURE     expressroute.enabled:FALSE really turns it off
#   plugin_tests.sh prefs CAPTURE INI    invalid inline keys are reported; valid ones work
#   plugin_tests.sh profile CAPTURE      the ExpressRoute profile's columns and colors load
#   plugin_tests.sh capture CAPTURE [INI]  same events, same findings, same text report as
#                                        the CLI (zero-config, and with INI when given)
#   plugin_tests.sh valgrind CAPTURE...  no invalid access or leak in the plugin's frames
#   plugin_tests.sh fuzz CAPTURE...      randomly damaged copies (editcap -E) never abort tshark
#   plugin_tests.sh corpus FILE...       the fuzzing regression inputs and public captures:
#                                        tshark ends the same with the plugin as without it
#
# Settings come from the environment (tests/plugin/CMakeLists.txt sets them):
# TSHARK, PLUGIN_SO, WS_XY, SOURCE_DIR, CLI, EVENT_DUMP, JSON_FINDINGS,
# PROFILE_DIR, VALGRIND, EDITCAP.
#
# Wireshark ignores WIRESHARK_PLUGIN_DIR and the personal plugin folder when
# run as root, so as root tshark runs as nobody (setpriv), on copies of the
# plugin and captures in a scratch folder nobody can read. Exit 77 = skipped.
set -u
SKIP=77
MODE=${1:?mode}
shift

fail() {
    echo "FAIL: $*" >&2
    FAILED=1
}
FAILED=0

setup() {
    if [ -z "${TSHARK:-}" ] || ! command -v "$TSHARK" >/dev/null 2>&1; then
        echo "tshark not found: skipped"
        exit $SKIP
    fi
    SCRATCH=$(mktemp -d "/tmp/erdiag-plugin.XXXXXX") || exit 1
    trap 'rm -rf "$SCRATCH"' EXIT
    mkdir -p "$SCRATCH/home" "$SCRATCH/cfg" "$SCRATCH/plugins/$WS_XY/epan" "$SCRATCH/in" "$SCRATCH/out"
    cp "$PLUGIN_SO" "$SCRATCH/plugins/$WS_XY/epan/expressroute.so" || exit 1
    RUN_AS=()
    if [ "$(id -u)" = 0 ]; then
        if ! command -v setpriv >/dev/null 2>&1; then
            echo "running as root without setpriv: tshark would ignore the plugin folder: skipped"
            exit $SKIP
        fi
        RUN_AS=(setpriv --reuid=65534 --regid=65534 --clear-groups)
        chown 65534:65534 "$SCRATCH/home" "$SCRATCH/cfg" "$SCRATCH/out"
    fi
    chmod 0755 "$SCRATCH" "$SCRATCH/plugins" "$SCRATCH/plugins/$WS_XY" "$SCRATCH/plugins/$WS_XY/epan" "$SCRATCH/in"
    chmod 0644 "$SCRATCH/plugins/$WS_XY/epan/expressroute.so"
}

# A copy of a file tshark (maybe as nobody) can read; prints its path.
stage() {
    local dest="$SCRATCH/in/$2"
    cp "$1" "$dest" && chmod 0644 "$dest" && echo "$dest"
}

# tshark with only our plugin folder and an empty configuration.
ts() {
    "${RUN_AS[@]}" env HOME="$SCRATCH/home" WIRESHARK_CONFIG_DIR="$SCRATCH/cfg" \
        WIRESHARK_PLUGIN_DIR="$SCRATCH/plugins" "$TSHARK" "$@"
}

# Did the run load our plugin at all? (A silent non-load would make every
# "prints nothing" check pass.)
check_loaded() {
    if ! ts -G plugins 2>/dev/null | grep -q "$SCRATCH/plugins/$WS_XY/epan/expressroute.so"; then
        echo "tshark -G plugins does not list $SCRATCH/plugins/$WS_XY/epan/expressroute.so:" >&2
        ts -G plugins 2>&1 | head -5 >&2
        exit 1
    fi
}

# Is field NAME of TYPE in a `tshark -G fields` listing?
has_field() {
    awk -F'\t' -v n="$2" -v t="$3" '$1 == "F" && $3 == n && $4 == t { found = 1 } END { exit !found }' "$1"
}

# The finding ids of the catalog, from its source.
catalog_ids() {
    sed -n 's/^ *{ERDIAG_F_[A-Z0-9_]*, "\([a-z0-9.-]*\)".*/\1/p' "$SOURCE_DIR/analysis/finding_catalog.c"
}

mode_load() {
    setup
    check_loaded
    local fields="$SCRATCH/out/fields.txt" prefs="$SCRATCH/out/prefs.txt"
    ts -G fields > "$fields" 2>/dev/null
    awk -F'\t' '$1 == "P" && $3 == "expressroute" { found = 1 } END { exit !found }' "$fields" ||
        fail "protocol expressroute not registered"
    for f in peering link side step finding severity message message_part advice config_error; do
        has_field "$fields" "expressroute.$f" FT_STRING || fail "field expressroute.$f missing"
    done
    local n=0
    for id in $(catalog_ids); do
        n=$((n + 1))
        has_field "$fields" "expressroute.$id" FT_NONE || fail "expert info expressroute.$id missing"
    done
    [ "$n" -ge 20 ] || fail "read only $n finding ids from finding_catalog.c"

    ts -G currentprefs > "$prefs" 2>/dev/null
    for p in enabled config_file name vlan outer_vlan peer_asn primary_subnet secondary_subnet \
             primary_subnet_v6 secondary_subnet_v6 sku vnet_prefixes expected_onprem_prefixes \
             onprem_sources gateway_subnet; do
        grep -q "^#\?expressroute\.$p:" "$prefs" || fail "preference expressroute.$p missing"
    done
    ts -z help 2>&1 | grep -q '^ *expressroute,report$' || fail "-z help does not list expressroute,report"
    ts -z help 2>&1 | grep -q '^ *expressroute,tree$' || fail "-z help does not list expressroute,tree (the checklist)"

    # Only the loader's four symbols leave the module.
    if command -v nm >/dev/null 2>&1; then
        local syms
        syms=$(nm -D --defined-only "$PLUGIN_SO" | awk '{print $3}' | sort | tr '\n' ' ')
        case "$syms" in
        "plugin_register plugin_version plugin_want_major plugin_want_minor "|\
        "plugin_describe plugin_register plugin_version plugin_want_major plugin_want_minor ") ;;
        *) fail "unexpected exported symbols: $syms" ;;
        esac
    fi
    return $FAILED
}

mode_disabled() {
    setup
    check_loaded
    local cap
    cap=$(stage "$1" capture.pcap) || exit 1
    local on off report
    on=$(ts -r "$cap" -Y expressroute 2>/dev/null | wc -l)
    off=$(ts -r "$cap" -o expressroute.enabled:FALSE -Y expressroute 2>/dev/null | wc -l)
    [ "$on" -gt 0 ] || fail "-Y expressroute shows no frame with the plugin enabled"
    [ "$off" -eq 0 ] || fail "-Y expressroute shows $off frames with expressroute.enabled:FALSE"
    report=$(ts -r "$cap" -q -o expressroute.enabled:FALSE -z expressroute,report 2>/dev/null)
    case "$report" in
    *"analysis is disabled"*) ;;
    *) fail "the report of a disabled plugin says: $(echo "$report" | head -3)" ;;
    esac
    return $FAILED
}

# -o arguments for the inline preferences an INI file holds; fails when the
# file uses what only a file can say (several peerings, [erdiag], md5).
ini_to_prefs() {
    local section="" sections=0 line key value
    PREF_ARGS=()
    while IFS= read -r line || [ -n "$line" ]; do
        line=${line%$'\r'}
        case "$line" in
        ''|'#'*) continue ;;
        '['*']')
            sections=$((sections + 1))
            section=${line#[}; section=${section%]}
            case "$section" in
            peering) ;;
            'peering '*) PREF_ARGS+=(-o "expressroute.name:${section#peering }") ;;
            *) return 1 ;;
            esac
            ;;
        *=*)
            key=${line%%=*}; key=${key%"${key##*[![:space:]]}"}
            value=${line#*=}; value=${value#"${value%%[![:space:]]*}"}
            case "$key" in
            vlan|outer-vlan|peer-asn|primary-subnet|secondary-subnet|primary-subnet-v6|\
            secondary-subnet-v6|sku|vnet-prefixes|expected-onprem-prefixes|onprem-sources|gateway-subnet)
                PREF_ARGS+=(-o "expressroute.${key//-/_}:$value") ;;
            *) return 1 ;;
            esac
            ;;
        *) return 1 ;;
        esac
    done < "$1"
    [ "$sections" -eq 1 ]
}

mode_prefs() {
    setup
    check_loaded
    local cap ini
    cap=$(stage "$1" capture.pcap) || exit 1
    ini=$(stage "$2" peering.ini) || exit 1

    # An invalid inline key: a stderr line, the reason on frame 1, and the
    # analysis still runs (zero-config).
    local err="$SCRATCH/out/stderr.txt" out
    out=$(ts -r "$cap" -o expressroute.vlan:5000 -o expressroute.primary_subnet:10.0.0.0/30 \
              -T fields -e frame.number -e expressroute.config_error -Y expressroute 2>"$err")
    grep -q '^expressroute: .*vlan = 5000' "$err" || fail "no stderr line for vlan = 5000: $(cat "$err")"
    echo "$out" | awk -F'\t' '$1 == 1 && $2 ~ /vlan = 5000: expected/ { found = 1 } END { exit !found }' ||
        fail "frame 1 does not carry the config error"
    [ "$(echo "$out" | awk -F'\t' '$2 != ""' | wc -l)" -eq 1 ] || fail "the config error shows on more than frame 1"
    [ "$(echo "$out" | wc -l)" -gt 1 ] || fail "an invalid configuration stopped the analysis"

    # Inline keys equal to the INI file give the CLI's report for that file.
    if ini_to_prefs "$ini"; then
        "$CLI" -c "$ini" "$cap" > "$SCRATCH/out/cli.txt" 2>/dev/null
        ts -r "$cap" -2 -q "${PREF_ARGS[@]}" -z expressroute,report > "$SCRATCH/out/inline.txt" 2>/dev/null
        # the same report but for the header's Config line, which names
        # where the configuration came from
        diff -u <(grep -v '^Config:' "$SCRATCH/out/cli.txt") <(grep -v '^Config:' "$SCRATCH/out/inline.txt") >&2 ||
            fail "inline preferences ${PREF_ARGS[*]} do not give the CLI's report for $2"
        grep -q "^Config: *$ini\$" "$SCRATCH/out/cli.txt" || fail "the CLI's report does not name $ini"
        grep -q '^Config: *expressroute preferences$' "$SCRATCH/out/inline.txt" || fail "inline configuration not used"
    else
        fail "$2 cannot be written as inline preferences"
    fi
    return $FAILED
}

mode_profile() {
    setup
    check_loaded
    local cap
    cap=$(stage "$1" capture.pcap) || exit 1
    mkdir -p "$SCRATCH/cfg/profiles"
    cp -r "$PROFILE_DIR" "$SCRATCH/cfg/profiles/ExpressRoute"
    chmod -R a+rX "$SCRATCH/cfg/profiles"
    # The profile's custom columns show the link and side of peering frames.
    local out
    out=$(ts -C ExpressRoute -r "$cap" -Y 'expressroute.link == "primary"' -c 20 2>"$SCRATCH/out/err.txt")
    echo "$out" | grep -q 'primary' || fail "profile columns do not show the link: $(echo "$out" | head -2)"
    echo "$out" | grep -Eq 'on-prem|Microsoft' || fail "profile columns do not show the side"
    echo "$out" | grep -Eq 'customer|microsoft' && fail "the Side column uses the engine's words (customer/microsoft)"
    # Colors as Wireshark reads them: @name@filter@[background][foreground].
    # Every rule is legible (WCAG contrast >= 4.5), and the rows most frames
    # get (peering traffic, BGP, ARP, evidence) are dark text on a light
    # background, as Wireshark's own rules are.
    local colors
    colors=$(awk -F'@' '/^@/ {
        if (split($4, c, /[][,]+/) < 7) { print "unparsable colors in rule " $2; next }
        bg = lum(c[2], c[3], c[4]); fg = lum(c[5], c[6], c[7])
        hi = bg > fg ? bg : fg; lo = bg > fg ? fg : bg
        if ((hi + 0.05) / (lo + 0.05) < 4.5) print "rule " $2 ": contrast " (hi + 0.05) / (lo + 0.05)
        if ($2 ~ /^(ExpressRoute (error|warning)|VLAN-tagged peering traffic|BGP|BGP UPDATE|BGP OPEN|ARP)$/ && bg <= fg)
            print "rule " $2 ": light text on a dark background"
        n++ }
        function ch(v) { v /= 65535; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ^ 2.4 }
        function lum(r, g, b) { return 0.2126 * ch(r) + 0.7152 * ch(g) + 0.0722 * ch(b) }
        END { if (n < 5) print "only " n " rules" }' "$PROFILE_DIR/colorfilters")
    [ -z "$colors" ] || fail "colorfilters: $colors"
    # The Finding column is wide enough for a frame's finding ids.
    awk '/"%Cus:expressroute.finding"/ { gsub(/[^0-9]/, "", $2); if ($2 + 0 >= 250) ok = 1 } END { exit !ok }' \
        "$PROFILE_DIR/recent" || fail "the profile's recent file gives the Finding column less than 250 px"
    # Every coloring rule compiles as a display filter: all at once, and one
    # by one only to name the culprit.
    local name filter all=""
    while IFS='@' read -r _ name filter _; do
        [ -n "$filter" ] && all="${all:+$all || }($filter)"
    done < <(grep '^@' "$PROFILE_DIR/colorfilters")
    [ -n "$all" ] || fail "no coloring rules in $PROFILE_DIR/colorfilters"
    if ! ts -r "$cap" -c 1 -Y "$all" >/dev/null 2>&1; then
        while IFS='@' read -r _ name filter _; do
            ts -r "$cap" -c 1 -Y "$filter" >/dev/null 2>&1 || fail "color rule \"$name\" is not a valid filter: $filter"
        done < <(grep '^@' "$PROFILE_DIR/colorfilters")
    fi
    if grep -qi 'error\|warn' "$SCRATCH/out/err.txt"; then
        fail "tshark complains about the profile: $(cat "$SCRATCH/out/err.txt")"
    fi
    return $FAILED
}

# Compares one configuration of one capture: text report and findings.
# compare_reports CAPTURE LABEL INI|"" EVENT_LOG|""
compare_reports() {
    local cap=$1 label=$2 ini=$3 log=$4
    local cli_args=() ts_args=() log_env=()
    if [ -n "$ini" ]; then
        cli_args=(-c "$ini")
        ts_args=(-o "expressroute.config_file:$ini")
    fi
    [ -n "$log" ] && log_env=("ERDIAG_PLUGIN_EVENT_LOG=$log")
    local o="$SCRATCH/out/$label"
    "$CLI" "${cli_args[@]}" "$cap" > "$o.cli.txt" 2>/dev/null
    "$CLI" "${cli_args[@]}" --format json "$cap" > "$o.cli.json" 2>/dev/null
    "${RUN_AS[@]}" env HOME="$SCRATCH/home" WIRESHARK_CONFIG_DIR="$SCRATCH/cfg" \
        WIRESHARK_PLUGIN_DIR="$SCRATCH/plugins" "${log_env[@]}" \
        "$TSHARK" -n -r "$cap" -2 -q "${ts_args[@]}" -z expressroute,report > "$o.ts.txt" 2>/dev/null
    ts -n -r "$cap" -2 -q "${ts_args[@]}" -z expressroute,report,json > "$o.ts.json" 2>/dev/null
    [ -s "$o.ts.txt" ] || fail "$label: tshark printed no report"
    "$JSON_FINDINGS" "$o.cli.json" > "$o.cli.findings" || fail "$label: CLI JSON unreadable"
    "$JSON_FINDINGS" "$o.ts.json" > "$o.ts.findings" || fail "$label: tshark JSON unreadable"
    diff -u "$o.cli.findings" "$o.ts.findings" >&2 || fail "$label: findings (id, peering, link, severity) differ"
    diff -u "$o.cli.txt" "$o.ts.txt" >&2 || fail "$label: text reports differ"
    compare_frames "$cap" "$label" "$o" "${ts_args[@]}"
    compare_checklist "$cap" "$label" "$o" "${ts_args[@]}"
}

# Wireshark shows everything the report says: every finding id the CLI
# lists is on some frame (tshark -2), each finding marks as many frames as
# its frame_count, and its advice is all there, one sentence per item, no
# label cut. Findings are told apart by id and message.
# compare_frames CAPTURE LABEL OUT_PREFIX [tshark -o args]
compare_frames() {
    local cap=$1 label=$2 o=$3
    shift 3
    local US=$'\x1f'
    "$JSON_FINDINGS" --frames "$o.cli.json" |
        awk -F'\t' '{ c[$1 FS $2] += $3 } END { for (k in c) print k FS c[k] }' | sort > "$o.cli.frames"
    ts -n -r "$cap" -2 "$@" -T fields -E aggregator="$US" -E occurrence=a -e expressroute.finding \
        -e expressroute.message -e expressroute.advice > "$o.ts.fields" 2>/dev/null
    awk -F'\t' -v us="$US" '$1 != "" { n = split($1, id, us); split($2, msg, us)
        for (i = 1; i <= n; i++) c[id[i] FS msg[i]]++ }
        END { for (k in c) print k FS c[k] }' "$o.ts.fields" | sort > "$o.ts.frames"
    cut -f1 "$o.cli.frames" | sort -u > "$o.cli.ids"
    cut -f1 "$o.ts.frames" | sort -u > "$o.ts.ids"
    diff -u "$o.cli.ids" "$o.ts.ids" >&2 || fail "$label: tshark -2 shows other finding ids than the CLI lists"
    diff -u "$o.cli.frames" "$o.ts.frames" >&2 ||
        fail "$label: frames marked per finding (tshark, +) differ from the CLI's frame_count (-)"

    # Advice: the items of a frame, joined, are the advice of its findings.
    "$JSON_FINDINGS" --advice "$o.cli.json" > "$o.cli.advice"
    local bad
    bad=$(awk -F'\t' -v us="$US" -v max=216 '
        NR == FNR { adv[$1 FS $2] = $3; next }
        $1 == "" { next }
        { n = split($1, id, us); split($2, msg, us); want = ""
          for (i = 1; i <= n; i++) { a = adv[id[i] FS msg[i]]; if (a != "" && a != "-") want = want (want == "" ? "" : " ") a }
          k = split($3, piece, us); got = ""
          for (i = 1; i <= k; i++) {
              if (length(piece[i]) > max) { print "frame line " FNR ": advice item of " length(piece[i]) " bytes"; exit }
              got = got (got == "" ? "" : " ") piece[i] }
          gsub(/  +/, " ", want); gsub(/  +/, " ", got)
          if (got != want) { print "frame line " FNR ": advice items \"" got "\" are not \"" want "\""; exit } }
        ' "$o.cli.advice" "$o.ts.fields")
    [ -z "$bad" ] || fail "$label: $bad"
    if ts -n -r "$cap" -2 "$@" -V -Y expressroute.finding 2>/dev/null |
        awk '/^Azure ExpressRoute peering analysis/ { in_er = 1; next } /^[^ ]/ { in_er = 0 } in_er' |
        grep -q 'truncated\]'; then
        fail "$label: an ExpressRoute item label is cut ([truncated])"
    fi
}

# Statistics > ExpressRoute > Checklist gives the CLI's checklist: per link,
# the verdict of each item (tshark -2 -z expressroute,tree).
compare_checklist() {
    local cap=$1 label=$2 o=$3
    shift 3
    "$JSON_FINDINGS" --checklist "$o.cli.json" | sort > "$o.cli.checklist"
    ts -n -r "$cap" -2 -q "$@" -z expressroute,tree 2>/dev/null | awk '
        function name(line) { sub(/  +.*$/, "", line); return line }
        /^peering .*, link / { link = name($0); links[link] = 1; next }
        /^ [0-9]+ / { item = name(substr($0, 2)); i = item + 0; v = item; sub(/^.*: /, "", v)
                      verdict[link, i] = v; if (i > max) max = i }
        END { for (l in links) { line = l; for (i = 1; i <= max; i++) line = line "\t" verdict[l, i]; print line } }
        ' | sort > "$o.ts.checklist"
    [ -s "$o.ts.checklist" ] || [ ! -s "$o.cli.checklist" ] || fail "$label: -z expressroute,tree printed no checklist"
    diff -u "$o.cli.checklist" "$o.ts.checklist" >&2 ||
        fail "$label: the stats tree's checklist (+) is not the CLI's (-)"
}

mode_capture() {
    setup
    check_loaded
    local cap ini=""
    cap=$(stage "$1" capture.pcap) || exit 1
    [ $# -ge 2 ] && [ -n "$2" ] && { ini=$(stage "$2" peering.ini) || exit 1; }

    # The zero-config run also logs the events it fed, to compare what
    # epan's fields gave with what the CLI's decoders give (their decode
    # notes have no counterpart in the plugin).
    local log="$SCRATCH/out/events.plugin"
    : > "$log"
    chmod 0666 "$log"
    compare_reports "$cap" zero-config "" "$log"
    "$EVENT_DUMP" "$cap" 2>/dev/null | grep -v ' NOTE ' > "$SCRATCH/out/events.cli"
    [ -s "$SCRATCH/out/events.cli" ] || fail "the CLI decoders found no event"
    diff -u "$SCRATCH/out/events.cli" "$log" >&2 || fail "events differ (- CLI decoders, + plugin)"

    [ -n "$ini" ] && compare_reports "$cap" configured "$ini" ""
    return $FAILED
}

mode_valgrind() {
    if [ -z "${VALGRIND:-}" ] || ! command -v "$VALGRIND" >/dev/null 2>&1; then
        echo "valgrind not found: skipped"
        exit $SKIP
    fi
    setup
    check_loaded
    local i=0 cap log
    # One valgrind per capture, side by side (each is single-threaded).
    for c in "$@"; do
        i=$((i + 1))
        cap=$(stage "$c" "capture$i.pcap") || exit 1
        log="$SCRATCH/out/valgrind$i.txt"
        # -2 -V: both passes, every tree drawn, the report written.
        "${RUN_AS[@]}" env HOME="$SCRATCH/home" WIRESHARK_CONFIG_DIR="$SCRATCH/cfg" \
            WIRESHARK_PLUGIN_DIR="$SCRATCH/plugins" "$VALGRIND" --error-limit=no --num-callers=40 \
            --fullpath-after= --leak-check=full --show-leak-kinds=definite --log-file="$log" \
            "$TSHARK" -n -r "$cap" -2 -V -z expressroute,report >/dev/null 2>&1 &
    done
    wait
    i=0
    for c in "$@"; do
        i=$((i + 1))
        log="$SCRATCH/out/valgrind$i.txt"
        [ -s "$log" ] || { fail "valgrind wrote no log for $c"; continue; }
        grep -q 'ERROR SUMMARY' "$log" || fail "valgrind did not finish on $c"
        # Each error or leak record is a block ending in an empty "==pid== " line;
        # ours are those with a frame in the plugin or the engine's sources.
        local ours
        ours=$(awk -v src="$SOURCE_DIR/" '
            /^==[0-9]+== $/ { if (blk != "" && (index(blk, src) || index(blk, "expressroute.so"))) print blk; blk = ""; next }
            /^==[0-9]+== (Invalid|Conditional|Use of uninitialised|Syscall param|Mismatched|Source and destination)/ { blk = $0; next }
            /^==[0-9]+== .*definitely lost in loss record/ { blk = $0; next }
            blk != "" { blk = blk "\n" $0 }' "$log")
        if [ -n "$ours" ]; then
            fail "valgrind reports problems in the plugin on $c:"
            echo "$ours" | head -80 >&2
        fi
    done
    return $FAILED
}

# Wireshark's own fuzzing recipe (tools/fuzz-test.sh): damaged bytes, strict
# memory checks, abort on any dissector bug. Seeds are fixed, so a failure
# reproduces with the editcap command it prints.
mode_fuzz() {
    if [ -z "${EDITCAP:-}" ] || ! command -v "$EDITCAP" >/dev/null 2>&1; then
        echo "editcap not found: skipped"
        exit $SKIP
    fi
    setup
    check_loaded
    local i=0 seed src fz rc
    for c in "$@"; do
        i=$((i + 1))
        src=$(stage "$c" "original$i.pcapng") || exit 1
        for seed in 1 2 3 4 5 6 7 8; do
            fz="$SCRATCH/in/fuzz$i-$seed.pcapng"
            "$EDITCAP" --seed "$seed" -E 0.03 "$src" "$fz" >/dev/null 2>&1 || { fail "editcap failed on $c"; continue; }
            chmod 0644 "$fz"
            "${RUN_AS[@]}" env HOME="$SCRATCH/home" WIRESHARK_CONFIG_DIR="$SCRATCH/cfg" \
                WIRESHARK_PLUGIN_DIR="$SCRATCH/plugins" WIRESHARK_DEBUG_WMEM_OVERRIDE=strict \
                WIRESHARK_ABORT_ON_DISSECTOR_BUG=1 MALLOC_CHECK_=3 \
                "$TSHARK" -n -2 -V -x -r "$fz" -z expressroute,report >/dev/null 2>"$SCRATCH/out/fuzz.err"
            rc=$?
            if [ $rc -ne 0 ]; then
                fail "tshark exited with $rc on: editcap --seed $seed -E 0.03 $c"
                tail -5 "$SCRATCH/out/fuzz.err" >&2
            fi
        done
    done
    return $FAILED
}

# Capture files of the fuzzing regression corpus (crafted headers, block
# lengths, byte orders) and third-party ones (malformed BGP and ARP), under
# strict memory checks: tshark may refuse a file or stop at damage, but the
# plugin must not change how it ends, nor make it abort.
mode_corpus() {
    setup
    check_loaded
    mkdir -p "$SCRATCH/no-plugins"
    chmod 0755 "$SCRATCH/no-plugins"
    local i=0 f in rc_with rc_without
    for f in "$@"; do
        i=$((i + 1))
        in=$(stage "$f" "corpus$i") || exit 1
        "${RUN_AS[@]}" env HOME="$SCRATCH/home" WIRESHARK_CONFIG_DIR="$SCRATCH/cfg" \
            WIRESHARK_PLUGIN_DIR="$SCRATCH/plugins" WIRESHARK_DEBUG_WMEM_OVERRIDE=strict \
            WIRESHARK_ABORT_ON_DISSECTOR_BUG=1 MALLOC_CHECK_=3 \
            "$TSHARK" -n -2 -V -x -r "$in" -z expressroute,report >/dev/null 2>"$SCRATCH/out/corpus.err"
        rc_with=$?
        "${RUN_AS[@]}" env HOME="$SCRATCH/home" WIRESHARK_CONFIG_DIR="$SCRATCH/cfg" \
            WIRESHARK_PLUGIN_DIR="$SCRATCH/no-plugins" WIRESHARK_DEBUG_WMEM_OVERRIDE=strict \
            "$TSHARK" -n -2 -V -x -r "$in" >/dev/null 2>/dev/null
        rc_without=$?
        if [ $rc_with -ge 128 ] || [ $rc_with -ne $rc_without ]; then
            fail "$f: tshark exited with $rc_with with the plugin, $rc_without without"
            tail -5 "$SCRATCH/out/corpus.err" >&2
        fi
    done
    [ $i -gt 0 ] || fail "no corpus files given"
    return $FAILED
}

case "$MODE" in
load) mode_load ;;
disabled) mode_disabled "$@" ;;
prefs) mode_prefs "$@" ;;
profile) mode_profile "$@" ;;
capture) mode_capture "$@" ;;
valgrind) mode_valgrind "$@" ;;
fuzz) mode_fuzz "$@" ;;
corpus) mode_corpus "$@" ;;
*) echo "unknown mode $MODE" >&2; exit 2 ;;
esac
exit $FAILED
