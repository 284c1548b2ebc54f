def load_period(*a, **k):
    raise NotImplementedError
