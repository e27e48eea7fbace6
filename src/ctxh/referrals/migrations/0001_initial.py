import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('cases', '0006_alter_caseevent_kind'),
        ('core', '0001_initial'),
        ('geo', '0001_initial'),
        ('hotline', '0001_initial'),
        ('network', '0001_initial'),
        ('people', '0001_initial'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='Referral',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='tạo lúc')),
                ('updated_at', models.DateTimeField(auto_now=True, verbose_name='cập nhật lúc')),
                ('reason', models.TextField(verbose_name='nhu cầu, lý do chuyển gửi')),
                ('urgency', models.CharField(choices=[('routine', 'Bình thường'), ('urgent', 'Khẩn'), ('emergency', 'Khẩn cấp (nguy hiểm đến tính mạng)')], default='routine', max_length=10, verbose_name='mức độ khẩn')),
                ('status', models.CharField(choices=[('sent', 'Đã gửi, chờ trả lời'), ('accepted', 'Đơn vị đã nhận'), ('declined', 'Đơn vị từ chối'), ('in_progress', 'Đang cung cấp dịch vụ'), ('completed', 'Đã hoàn thành'), ('cancelled', 'Đã hủy')], db_index=True, default='sent', max_length=12, verbose_name='trạng thái')),
                ('consent_basis', models.CharField(choices=[('consent', 'Có sự đồng ý chia sẻ thông tin'), ('emergency', 'Trường hợp khẩn cấp đe dọa tính mạng (không cần đồng ý)')], max_length=10, verbose_name='căn cứ chia sẻ thông tin')),
                ('emergency_reason', models.TextField(blank=True, verbose_name='lý do khẩn cấp')),
                ('sent_at', models.DateTimeField(verbose_name='gửi lúc')),
                ('due_on', models.DateField(db_index=True, verbose_name='hạn trả lời')),
                ('accepted_at', models.DateTimeField(blank=True, null=True, verbose_name='nhận lúc')),
                ('declined_at', models.DateTimeField(blank=True, null=True, verbose_name='từ chối lúc')),
                ('started_at', models.DateTimeField(blank=True, null=True, verbose_name='bắt đầu lúc')),
                ('completed_at', models.DateTimeField(blank=True, null=True, verbose_name='hoàn thành lúc')),
                ('cancelled_at', models.DateTimeField(blank=True, null=True, verbose_name='hủy lúc')),
                ('decline_reason', models.TextField(blank=True, verbose_name='lý do từ chối')),
                ('cancel_reason', models.TextField(blank=True, verbose_name='lý do hủy')),
                ('provider_note', models.TextField(blank=True, verbose_name='ghi chú của đơn vị')),
                ('provider_feedback', models.TextField(blank=True, verbose_name='kết quả, phản hồi của đơn vị')),
                ('version', models.PositiveIntegerField(default=1, editable=False)),
                ('call', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='referrals', to='hotline.call', verbose_name='cuộc gọi')),
                ('case', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='referrals', to='cases.case', verbose_name='hồ sơ')),
                ('commune', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='geo.commune')),
                ('consent', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='people.consent', verbose_name='sự đồng ý')),
                ('person', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='referrals', to='people.person', verbose_name='đối tượng')),
                ('provider', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='referrals', to='network.provider', verbose_name='đơn vị nhận')),
                ('province', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='geo.province')),
                ('referred_by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='referrals_made', to=settings.AUTH_USER_MODEL, verbose_name='người chuyển gửi')),
                ('services', models.ManyToManyField(blank=True, limit_choices_to={'vocabulary': 'provider_service'}, related_name='+', to='core.term', verbose_name='dịch vụ đề nghị')),
            ],
            options={
                'verbose_name': 'chuyển gửi',
                'verbose_name_plural': 'chuyển gửi',
                'ordering': ['-sent_at', '-id'],
            },
        ),
        migrations.CreateModel(
            name='ReferralLink',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('purpose', models.CharField(choices=[('respond', 'Trả lời nhận hoặc từ chối'), ('progress', 'Báo tiến độ, kết quả')], max_length=10, verbose_name='dùng để')),
                ('token_hash', models.CharField(editable=False, max_length=64, unique=True)),
                ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='cấp lúc')),
                ('expires_at', models.DateTimeField(verbose_name='hết hạn lúc')),
                ('used_at', models.DateTimeField(blank=True, null=True, verbose_name='đã dùng lúc')),
                ('used_action', models.CharField(blank=True, max_length=20, verbose_name='đã dùng để')),
                ('revoked_at', models.DateTimeField(blank=True, null=True, verbose_name='thu hồi lúc')),
                ('created_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='người cấp')),
                ('referral', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='links', to='referrals.referral')),
                ('revoked_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='người thu hồi')),
            ],
            options={
                'verbose_name': 'đường dẫn trả lời chuyển gửi',
                'verbose_name_plural': 'đường dẫn trả lời chuyển gửi',
                'ordering': ['-created_at', '-id'],
            },
        ),
        migrations.CreateModel(
            name='ReferralChange',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('from_status', models.CharField(blank=True, choices=[('sent', 'Đã gửi, chờ trả lời'), ('accepted', 'Đơn vị đã nhận'), ('declined', 'Đơn vị từ chối'), ('in_progress', 'Đang cung cấp dịch vụ'), ('completed', 'Đã hoàn thành'), ('cancelled', 'Đã hủy')], max_length=12, verbose_name='từ trạng thái')),
                ('to_status', models.CharField(choices=[('sent', 'Đã gửi, chờ trả lời'), ('accepted', 'Đơn vị đã nhận'), ('declined', 'Đơn vị từ chối'), ('in_progress', 'Đang cung cấp dịch vụ'), ('completed', 'Đã hoàn thành'), ('cancelled', 'Đã hủy')], max_length=12, verbose_name='sang trạng thái')),
                ('at', models.DateTimeField(verbose_name='lúc')),
                ('via', models.CharField(choices=[('centre', 'Trung tâm'), ('provider', 'Đơn vị (tài khoản CTXH)'), ('link', 'Đơn vị (qua đường dẫn một lần)')], max_length=10, verbose_name='thực hiện bởi')),
                ('note', models.TextField(blank=True, verbose_name='ghi chú')),
                ('actor', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='người thực hiện')),
                ('referral', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='changes', to='referrals.referral')),
                ('link', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='referrals.referrallink')),
            ],
            options={
                'verbose_name': 'diễn biến chuyển gửi',
                'verbose_name_plural': 'diễn biến chuyển gửi',
                'ordering': ['at', 'id'],
            },
        ),
        migrations.CreateModel(
            name='ReferralLinkUse',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('at', models.DateTimeField(auto_now_add=True, db_index=True, verbose_name='lúc')),
                ('action', models.CharField(max_length=20, verbose_name='thao tác')),
                ('outcome', models.CharField(default='ok', max_length=20, verbose_name='kết quả')),
                ('ip', models.GenericIPAddressField(blank=True, null=True, verbose_name='địa chỉ IP')),
                ('user_agent', models.CharField(blank=True, max_length=200, verbose_name='trình duyệt')),
                ('link', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='uses', to='referrals.referrallink')),
            ],
            options={
                'verbose_name': 'lượt dùng đường dẫn',
                'verbose_name_plural': 'nhật ký dùng đường dẫn',
                'ordering': ['-at', '-id'],
            },
        ),
        migrations.AddIndex(
            model_name='referral',
            index=models.Index(fields=['status', 'due_on'], name='referral_status_due'),
        ),
        migrations.AddIndex(
            model_name='referral',
            index=models.Index(fields=['provider', 'status'], name='referral_provider_status'),
        ),
        migrations.AddIndex(
            model_name='referral',
            index=models.Index(fields=['referred_by', 'status'], name='referral_by_status'),
        ),
        migrations.AddConstraint(
            model_name='referral',
            constraint=models.CheckConstraint(condition=models.Q(('case__isnull', False), ('call__isnull', False), _connector='OR'), name='referral_from_case_or_call', violation_error_message='Chuyển gửi phải xuất phát từ một hồ sơ hoặc một cuộc gọi.'),
        ),
        migrations.AddConstraint(
            model_name='referral',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('consent__isnull', False), ('consent_basis', 'consent')), models.Q(('consent_basis', 'emergency'), models.Q(('emergency_reason', ''), _negated=True)), _connector='OR'), name='referral_lawful_basis', violation_error_message='Cần có sự đồng ý chia sẻ thông tin, hoặc ghi rõ lý do khẩn cấp.'),
        ),
        migrations.AddConstraint(
            model_name='referral',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('status', 'declined'), _negated=True), models.Q(('decline_reason', ''), _negated=True), _connector='OR'), name='referral_decline_has_reason', violation_error_message='Cần ghi lý do từ chối.'),
        ),
        migrations.AddConstraint(
            model_name='referrallink',
            constraint=models.CheckConstraint(condition=models.Q(('used_at__isnull', True), models.Q(('used_action', ''), _negated=True), _connector='OR'), name='referral_link_use_named', violation_error_message='Đường dẫn đã dùng phải ghi dùng để làm gì.'),
        ),
    ]
