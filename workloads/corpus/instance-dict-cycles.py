# Cycles of instances whose __dict__ is materialised: 100,000 times
# `a = C(); a.obj = a; a.__dict__`.  3.8-3.10: the same as instance-cycles
# (the dict exists once an attribute is set); 3.11+: reading a.__dict__
# makes a dict object from the inline values, a second object in the cycle.
class C:
    pass
#-- measure
gc.collect()
for i in range(100000):
    a = C()
    a.obj = a
    a.__dict__
_ck.append(gc.get_count())
del a
