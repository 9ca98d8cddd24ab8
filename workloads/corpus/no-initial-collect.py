# No gc.collect() first: the program starts on the interpreter's start-up
# heap as it is (its counts, and no full collection ever run, so
# long_lived_total is 0).  100,000 cycles of two lists.
#-- measure
for i in range(100000):
    a = []
    b = [a]
    a.append(b)
_ck.append(gc.get_count())
del a, b
