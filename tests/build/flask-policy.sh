#!/usr/bin/env bash
# flask-policy.sh TREE: the example FLASK policy of TREE builds
# (checkpolicy), and grants the query's permission where the design says.
set -eu
tree=$1
command -v checkpolicy >/dev/null || { echo "the FLASK policy needs the Debian package checkpolicy"; exit 1; }
make -s -C "$tree/tools/flask/policy" clean >/dev/null
make -s -C "$tree/tools/flask/policy"
ls "$tree"/tools/flask/policy/xenpolicy-*
grep -q 'get_dirty_reporting' "$tree/tools/flask/policy/policy.conf"
# The toolstack (dom0_t) may query any domU, through create_domain_common,
# manage_domain and migrate_domain_out.
awk '/allow dom0_t domU_t:domain2 \{/ { in_rule = 1 }
     in_rule && /get_dirty_reporting/ { found = 1 }
     in_rule && /\}/ { in_rule = 0 }
     END { exit !found }' "$tree/tools/flask/policy/policy.conf" ||
    { echo "dom0_t is not granted get_dirty_reporting over domU_t"; exit 1; }
echo "policy built, get_dirty_reporting granted to dom0_t over domU_t"
