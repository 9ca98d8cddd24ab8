# Resurrection: 100,000 times `a = R(); a.obj = a`, R's __del__ storing self
# in the global `saved`.  Each collection runs the finalizers of its
# garbage; the last one's object is resurrected (saved holds it), the rest
# are collected; the object saved before is released, finalized already, and
# collected by a later collection without its finalizer running again.
class R:
    def __del__(self):
        global saved
        saved = self
#-- measure
gc.collect()
for i in range(100000):
    a = R()
    a.obj = a
_ck.append(gc.get_count())
del a
