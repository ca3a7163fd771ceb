import { useCallback } from 'react';
import { saveBlob } from '../../../lib/download';
import { exportMyData } from '../api';

export function useDownloadMyData() {
  return useCallback(async () => {
    const { blob, filename } = await exportMyData();
    const today = new Date().toISOString().slice(0, 10);
    saveBlob(blob, filename ?? `hintbook-export-${today}.json`);
  }, []);
}
