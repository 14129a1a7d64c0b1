import { describe, expect, it } from 'vitest';
import { sentence, standardPhrase } from './standard-phrases.js';

describe('第十二条 规范用语', () => {
  it('closes an answer with one stop, never 。。, and keeps a question or exclamation the writer chose', () => {
    expect(sentence('请携带身份证到政务服务中心办理。')).toBe('请携带身份证到政务服务中心办理。');
    expect(sentence('请携带身份证到政务服务中心办理')).toBe('请携带身份证到政务服务中心办理。');
    expect(sentence('办理时间为工作日。。 ')).toBe('办理时间为工作日。');
    expect(sentence('办理时间为工作日，')).toBe('办理时间为工作日。');
    expect(sentence('您看可以吗？')).toBe('您看可以吗？');
    expect(sentence('（详见公告）')).toBe('（详见公告）');
    expect(sentence('   ')).toBe('');
    const answered = standardPhrase({ disposition: 'answered', answer: '可以在线办理。' });
    expect(answered).not.toContain('。。');
    expect(answered).toBe('您好，关于您咨询的问题，答复如下：可以在线办理。感谢您的来电。');
  });

  it('thanks a caller for calling and everyone else for writing (no 来电 for a web message)', () => {
    const d = { disposition: 'answered', answer: '可以在线办理' };
    expect(standardPhrase(d, { channel: 'phone' })).toContain('感谢您的来电');
    for (const channel of ['web', 'sms', 'wechat', 'weibo', 'api']) {
      expect(standardPhrase(d, { channel })).toContain('感谢您的留言');
      expect(standardPhrase(d, { channel })).not.toContain('来电');
    }
    expect(standardPhrase({ disposition: 'not_accepted', reason: '属于民事纠纷。' })).toBe(
      '很抱歉，您反映的事项不属于热线受理范围，理由是：属于民事纠纷。',
    );
  });
});
