"""法治讲座 in the admin: the topic list is configuration (district administrators add, edit and
switch off topics); teachers, requests and orders are read-only and scoped — they change only
through the pages' services, so phones stay encrypted and every move leaves its step row."""

from django.contrib import admin

from gongzhi.core.admin import ConfigAdmin, ReadOnlyScopedAdmin

from .models import LectureOrder, LectureRequest, Teacher, Topic


@admin.register(Topic)
class TopicAdmin(ConfigAdmin):
    list_display = ("title", "category", "order", "is_active")
    list_filter = ("category", "is_active")


@admin.register(Teacher)
class TeacherAdmin(ReadOnlyScopedAdmin):
    list_display = ("name", "kind", "organisation", "place", "phone_mask", "is_active")
    list_filter = ("kind", "is_active")
    exclude = ("phone_enc", "phone_hash")


@admin.register(LectureRequest)
class LectureRequestAdmin(ReadOnlyScopedAdmin):
    list_display = ("__str__", "community", "person", "status", "created_at")
    list_filter = ("status",)


@admin.register(LectureOrder)
class LectureOrderAdmin(ReadOnlyScopedAdmin):
    list_display = ("title", "community", "starts_at", "status", "attendance")
    list_filter = ("status",)
