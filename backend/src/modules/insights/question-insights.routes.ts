import { Router } from 'express';
import { questionInsightsQuerySchema } from '@hintbook/contracts';
import { parseQuery } from '../../middleware/validate.js';
import { getQuestionInsights, type QuestionInsightsDeps } from './question-insights.service.js';

/** `/api/admin/insights` (behind the admin check): what students ask, grouped. */
export function questionInsightsRoutes(deps: QuestionInsightsDeps): Router {
  const router = Router();
  router.get('/questions', async (req, res) => {
    res.json(await getQuestionInsights(deps, parseQuery(questionInsightsQuerySchema, req.query)));
  });
  return router;
}
