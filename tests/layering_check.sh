#!/usr/bin/env bash
# The domain layers stay free of the runtime: events/ (and, when they exist,
# domain/) include no CAF, RESTinio, RocksDB or libcurl header, and RocksDB does not
# leak out of storage/ and projections/projection_db.cpp (outside tests and
# benchmarks).
set -u
root="$1"
status=0
for dir in base events domain; do
  [ -d "$root/$dir" ] || continue
  if hits=$(grep -rnE '#include\s*[<"](caf|restinio|rocksdb|curl)/' "$root/$dir"); then
    echo "layering: $dir/ includes a runtime header:"; echo "$hits"; status=1
  fi
done
for dir in http app actors tenants outbox outbound twilio projections; do
  [ -d "$root/$dir" ] || continue
  # projection_db.cpp is the projections' one door to their own RocksDB.
  if hits=$(grep -rnE '#include\s*[<"]rocksdb/' "$root/$dir" | grep -v '^'"$root"'/projections/projection_db.cpp:'); then
    echo "layering: RocksDB used outside storage/ in $dir/:"; echo "$hits"; status=1
  fi
done
if hits=$(grep -lE '#include\s*[<"]restinio/' -r "$root" --include='*.hpp' | grep -v '^'"$root"'/\(tests\|bench\)/'); then
  echo "layering: RESTinio included from a header:"; echo "$hits"; status=1
fi
[ $status -eq 0 ] && echo "layering: ok"
exit $status
