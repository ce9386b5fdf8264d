from jichitai.dashboard.registry import navigation_for


def staff_navigation(request):
    return {"staff_navigation": lambda: navigation_for(request)}
