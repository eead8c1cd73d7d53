#!/bin/bash
# make-all.sh: regenerate every capture under captures/ (run as root).
# Each scenario runs in its own set of network namespaces and cleans up after
# itself; a failing scenario is reported and the others still run.
cd "$(dirname "$0")" || exit 1
SCENARIOS="healthy vlan-mismatch secondary-msee-silent qinq qinq-8100 qinq-9100
  ipv6 sll2-any sll-any wrong-peer-asn md5-mismatch md5-one-side hold-timer
  refused reserved-asn flap asn4 bgp-timers-low no-onprem-routes
  expected-missing prefix-limit overlap route-flap asymmetric
  asymmetric-prepend default-route no-azure-routes dataplane
  tcp-unanswered duplicate-ip wrong-subnet msee-address-misused fhrp oversize
  peering-in-vnet midstream unrelated-links flow-verdicts flow-asymmetric qinq-per-link macsec bfd bfd-one-side bfd-down msee-prepend global-reach
  layer3-provider microsoft-peering microsoft-peering-no-filter"
[ $# -gt 0 ] && SCENARIOS="$*"
failed=""
for s in $SCENARIOS; do
  echo "=== $s"
  bash "./make-$s.sh" || failed="$failed $s"
done
if [ -n "$failed" ]; then
  echo "FAILED:$failed" >&2
  exit 1
fi
echo "all captures written"
