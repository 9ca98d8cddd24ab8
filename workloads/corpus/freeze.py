# gc.freeze() then allocation: everything alive moves to the permanent
# generation and the counts are zeroed; then 100,000 dict cycles; then
# gc.unfreeze() moves the frozen objects back into the oldest generation,
# where the closing gc.collect() examines them.
#-- measure
gc.collect()
gc.freeze()
for i in range(100000):
    d = {}
    d[0] = d
_ck.append(gc.get_count())
del d
gc.unfreeze()
