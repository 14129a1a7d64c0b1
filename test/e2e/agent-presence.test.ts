import { it } from 'vitest';
import { attributeIs, containsText, describeWeb, signIn, useWebSession, visible } from './harness.js';

// 坐席状态 (issue 14) on screen: the agent goes 示闲, takes a 小休 with its reason and sees the shift's figures; the
// supervisor's board shows who is on a break.
describeWeb('web: agent availability and shift figures', () => {
  const web = useWebSession();
  const { guard } = web;

  it('the agent sets 示闲 then 小休（就餐）, and the supervisor sees it on 坐席状态', async () => {
    const { page: a, context } = await signIn(web.browser, web.server, guard, 'agent');
    const bar = a.getByTestId('presence-bar');
    await attributeIs(bar, 'data-state', 'offline');
    await containsText(a.getByTestId('presence-status'), '请示闲');
    await bar.getByText('示闲', { exact: true }).click();
    await attributeIs(bar, 'data-state', 'available');
    await containsText(a.getByTestId('presence-status'), '可接入来电');
    await a.getByTestId('presence-break').click();
    await a.getByRole('menuitem', { name: '就餐' }).click();
    await attributeIs(bar, 'data-state', 'break');
    await containsText(a.getByTestId('presence-status'), '小休（就餐）');
    await containsText(a.getByTestId('shift-figures'), '小休');
    await a.screenshot({ path: 'docs/screenshots/agent-presence.png' });
    await context.close();

    const { page: s, context: sc } = await signIn(web.browser, web.server, guard, 'supervisor');
    await s.goto('/presence');
    await visible(s.getByTestId('presence-board'));
    await containsText(s.getByTestId('presence-board'), '小休（就餐）');
    await containsText(s.getByTestId('presence-summary'), '小休');
    await s.screenshot({ path: 'docs/screenshots/presence-board.png' });
    await sc.close();
    guard.assertClean();
  });
});
