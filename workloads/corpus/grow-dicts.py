# A growing live heap of dicts: 100,000 times `d = {}; d[0] = keep;
# keep.append(d)`.  Each dict holds a list, so it is tracked (a dict of
# atoms would not be) and stays tracked through full collections.
#-- measure
gc.collect()
keep = []
for i in range(100000):
    d = {}
    d[0] = keep
    keep.append(d)
_ck.append(gc.get_count())
del keep, d
