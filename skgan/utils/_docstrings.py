"""Shared docstring fragments, written once and substituted."""


def fill_doc(**fragments):
    """Substitute ``%(name)s`` placeholders of a docstring with shared text.

    imbalanced-learn's ``Substitution`` uses ``str.format``, which clashes with
    the braces of numpydoc value sets such as ``{"gan", "wgan-gp"}``; printf
    style placeholders do not.

    Parameters
    ----------
    **fragments : str
        Placeholder name to text.

    Returns
    -------
    decorator : callable
        Decorator that fills the docstring of a class or function.
    """

    def decorate(obj):
        if obj.__doc__:
            obj.__doc__ = obj.__doc__ % fragments
        return obj

    return decorate
