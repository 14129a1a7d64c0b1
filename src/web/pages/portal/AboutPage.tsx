import { useEffect, type ReactNode } from 'react';
import { useLocation } from 'react-router-dom';
import { Card, Flex, Typography } from 'antd';

const { Paragraph, Title } = Typography;

function Section({ id, title, children }: { id?: string; title: string; children: ReactNode }) {
  return (
    <Card size="small" id={id}>
      <Title level={5} style={{ marginTop: 0 }}>
        {title}
      </Title>
      {children}
    </Card>
  );
}
const List = ({ items }: { items: ReactNode[] }) => (
  <ol style={{ paddingInlineStart: 20, margin: 0, lineHeight: 1.9 }}>
    {items.map((x, i) => (
      <li key={i}>{x}</li>
    ))}
  </ol>
);

/** 热线须知: what the public should know, from the 菏泽市12345政务服务便民热线条例 (in force 2025-01-01). */
export default function AboutPage() {
  const { hash } = useLocation();
  useEffect(() => {
    if (hash) document.getElementById(hash.slice(1))?.scrollIntoView();
  }, [hash]);
  return (
    <Flex vertical gap={12} data-testid="portal-about">
      <h1 className="portal-title" style={{ marginBottom: 0 }}>
        热线须知
      </h1>
      <Section title="12345热线受理什么">
        <Paragraph style={{ margin: 0 }}>
          菏泽市12345政务服务便民热线依据《菏泽市12345政务服务便民热线条例》（2025年1月1日起施行）运行，全天24小时受理企业和群众对经济调节、市场监管、社会管理、公共服务、生态环境保护等方面的咨询、求助、投诉、举报和意见建议。能当场答复的当场答复，不能当场答复的形成工单，按照职权法定、属地管理、分级负责的原则转交承办单位办理。
        </Paragraph>
      </Section>
      <Section title="怎样联系热线">
        <List
          items={[
            '拨打电话 12345（全天24小时）',
            '发送短信至 12345（与热线电话同号，直接写明诉求和地点）',
            '关注“菏泽12345”微信公众号留言',
            '微博私信“菏泽12345”',
            '在本网站“我要留言”提交，可附图片',
          ]}
        />
      </Section>
      <Section title="办理时限（一般情形）">
        <List
          items={[
            '承办单位收到工单后 1 个工作日内签收；紧急事项 1 小时内',
            '签收后 1 个工作日内联系诉求人；紧急事项 2 小时内',
            '5 个工作日内办结答复；紧急事项和供水、供电、供气、供热、通信等全天候服务事项 24 小时内',
            '情况复杂的可以申请延期，累计不超过 10 个工作日，并向您说明理由和进展',
            '答复后 2 个工作日内回访；不满意且诉求合理的，退回重新办理',
          ]}
        />
        <Paragraph type="secondary" style={{ margin: '8px 0 0', fontSize: '1em' }}>
          具体时限以事项类别和热线公布的规定为准；节假日按工作日历顺延。
        </Paragraph>
      </Section>
      <Section title="热线不予受理或另行处理的情形（第十三条）">
        <List
          items={[
            '应当由110、119、120、122等紧急服务热线受理的，热线为您在线转接',
            '应当通过诉讼、仲裁、纪检监察、行政复议、政府信息公开、信访等法定途径解决的，告知您相应途径',
            '已经受理且在办理期限内、没有新情况新理由的重复诉求，告知您办理进度',
            '涉及国家秘密、商业秘密、个人信息的，向您解释说明',
            '违反法律法规、违背公序良俗的诉求，予以告诫',
            '其他依法不予受理的事项，说明理由',
          ]}
        />
      </Section>
      <Section title="您的权利（第九条）">
        <List
          items={[
            '可以选择语音、文字、图片、视频等形式提出诉求，可以实名也可以匿名（第十条）',
            '有权了解诉求的办理进度和结果：凭工单号和查询码在“查询进度”中查看',
            '有权对办理结果进行评价',
            '对工作人员的违法违纪行为，可以投诉，投诉转交督办部门处理',
          ]}
        />
      </Section>
      <Section id="privacy" title="个人信息保护（第六条）">
        <Paragraph style={{ margin: 0 }}>
          热线工作机构和承办单位对您的个人信息和诉求涉及的秘密依法保密。您的姓名、电话和地址加密保存，工作人员只在办理需要时查看，查看须说明事由并留痕备查；对举报事项，被举报的单位不能获知举报人的任何信息（第三十三条）。查询页面不显示个人信息和工作人员姓名。
        </Paragraph>
      </Section>
      <Section title="文明使用热线（第十一条）">
        <Paragraph style={{ margin: 0 }}>
          请勿恶意反复拨打、无正当理由长时间占用热线资源，不得骚扰、侮辱、威胁工作人员。对此类行为热线将予以记录，经审核后予以警告；情节严重的，由公安机关依法处理。紧急求助在任何情况下都会被及时转接。
        </Paragraph>
      </Section>
    </Flex>
  );
}
