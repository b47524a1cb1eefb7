"""(being built: issue 15)"""

urlpatterns: list = []
