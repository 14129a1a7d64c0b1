import { Link } from 'react-router-dom';
import { Button, Card, Flex, Typography } from 'antd';
import { EditOutlined, FileSearchOutlined, PhoneOutlined, ReadOutlined } from '@ant-design/icons';
import { KnowledgeSearchBox } from './KnowledgeSearchBox';

const ENTRIES = [
  {
    to: '/portal/submit',
    icon: <EditOutlined />,
    title: '我要留言',
    text: '反映问题、咨询、求助、投诉、举报或提建议，可附图片',
  },
  {
    to: '/portal/track',
    icon: <FileSearchOutlined />,
    title: '查询办理进度',
    text: '凭工单号和查询码查看进度和结果，评价办理情况',
  },
  {
    to: '/portal/about',
    icon: <ReadOutlined />,
    title: '热线须知',
    text: '受理范围、办理时限、不予受理的情形、您的权利',
  },
];

export default function PortalHome() {
  return (
    <Flex vertical gap={12}>
      <Card>
        <Typography.Title level={1} className="portal-title" style={{ marginTop: 0 }}>
          有事找12345
        </Typography.Title>
        <Typography.Paragraph type="secondary" style={{ marginBottom: 12 }}>
          菏泽市12345政务服务便民热线统一受理企业和群众的咨询、求助、投诉、举报和意见建议。紧急情况请直接拨打110、119、120、122。
        </Typography.Paragraph>
        <Button type="primary" size="large" icon={<PhoneOutlined />} href="tel:12345" block>
          拨打 12345
        </Button>
      </Card>
      {/* 第十八条 公众自助: many questions already have a published answer */}
      <KnowledgeSearchBox hint="社保、医保、公积金、户籍、供暖、水电气……常见问题先查一查" />
      {ENTRIES.map((e) => (
        <Link key={e.to} to={e.to} className="portal-tile">
          <Card hoverable size="small">
            <Flex gap={12} align="center">
              <span style={{ fontSize: 26, color: '#1456c8' }}>{e.icon}</span>
              <div>
                <Typography.Text strong style={{ fontSize: '1.125em' }}>
                  {e.title}
                </Typography.Text>
                <div className="portal-tile-text">{e.text}</div>
              </div>
            </Flex>
          </Card>
        </Link>
      ))}
    </Flex>
  );
}
