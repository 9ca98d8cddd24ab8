# A growing live heap of lists: 100,000 empty lists kept in one list.
# Nothing is garbage; every young collection moves ~700 survivors up, and
# full collections run each time the survivors of generation-1 collections
# reach a quarter of the long-lived objects (long_lived_total / 4).
#-- measure
gc.collect()
keep = []
for i in range(100000):
    keep.append([])
_ck.append(gc.get_count())
del keep
