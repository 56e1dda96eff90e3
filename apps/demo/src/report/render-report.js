export const renderReport = () => '<!doctype html><title>x</title>';
