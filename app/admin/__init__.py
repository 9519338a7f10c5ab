"""The platform back office (`/manage/…`): markets and their settings, categories, seller approval
and suspension, users and roles. Admins see all of it; country managers see their markets only."""
